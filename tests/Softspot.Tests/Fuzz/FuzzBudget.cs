namespace Softspot.Tests.Fuzz;

/// <summary>
/// How many cases a fuzz test tries and from which seed: a short, fixed run in CI; SOFTSPOT_FUZZ_CASES=N and
/// SOFTSPOT_FUZZ_SEED=S for a long run by hand.
/// </summary>
public static class FuzzBudget
{
    public static int Cases(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("SOFTSPOT_FUZZ_CASES"), out int n) && n > 0 ? n : fallback;

    public static ulong Seed(ulong fallback) =>
        ulong.TryParse(Environment.GetEnvironmentVariable("SOFTSPOT_FUZZ_SEED"), out ulong s) ? s : fallback;
}
