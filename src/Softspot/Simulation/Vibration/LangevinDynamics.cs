using Softspot.Numerics;

namespace Softspot.Simulation.Vibration;

/// <summary>
/// Seeded molecular dynamics at constant temperature: velocity Verlet with a Langevin thermostat applied as LAMMPS'
/// <c>fix nve</c> + <c>fix langevin T T damp seed zero yes</c> apply it. After each force evaluation every atom gets a
/// drag -m v / damp (v the half-step velocity) and a Gaussian random force of variance 2 m k_B T / (damp dt) per
/// component, minus the mean random force over the atoms, so the total momentum (zero at the start) stays zero and
/// the centre of mass does not wander. Masses in g/mol, time in ps (<see cref="MetalUnits"/>). Serial and
/// deterministic: one random stream, drawn atom by atom.
/// </summary>
internal sealed class LangevinDynamics
{
    private readonly IForceEngine _engine;
    private readonly double[] _mass, _f, _v, _random;
    private readonly double _dt, _temperature, _damp;
    private readonly SplitMix64 _rng;
    private readonly int _n;

    /// <summary>Positions (3N, unwrapped), advanced in place by <see cref="Step"/>.</summary>
    public double[] Positions { get; }

    /// <summary>Potential energy (eV) after the last step.</summary>
    public double Energy { get; private set; }

    /// <param name="engine">forces.</param>
    /// <param name="positions">start positions (copied).</param>
    /// <param name="masses">mass of each atom (g/mol).</param>
    /// <param name="temperature">thermostat temperature (K), also of the initial velocities.</param>
    /// <param name="timestep">time step (ps).</param>
    /// <param name="damp">Langevin damping time (ps).</param>
    /// <param name="seed">seed of the velocities and random forces.</param>
    public LangevinDynamics(IForceEngine engine, ReadOnlySpan<double> positions, double[] masses, double temperature, double timestep, double damp, int seed)
    {
        _engine = engine; _n = engine.Count;
        _mass = masses; _dt = timestep; _temperature = temperature; _damp = damp;
        _rng = new SplitMix64(seed, 0x4D5344, 0); // "MSD"
        Positions = positions.ToArray();
        _f = new double[3 * _n]; _v = new double[3 * _n]; _random = new double[3 * _n];
        InitialVelocities();
        Energy = _engine.Compute(Positions, _f);
        AddThermostat();
    }

    /// <summary>Gaussian velocities at the temperature, zero total momentum, scaled to exactly T over 3N - 3 degrees of freedom.</summary>
    private void InitialVelocities()
    {
        double kT = MetalUnits.Boltzmann * _temperature;
        double px = 0, py = 0, pz = 0, total = 0;
        for (int i = 0; i < _n; i++)
        {
            double s = Math.Sqrt(kT / (_mass[i] * MetalUnits.MvvToEnergy));
            for (int c = 0; c < 3; c++) _v[3 * i + c] = s * _rng.NextGaussian();
            px += _mass[i] * _v[3 * i]; py += _mass[i] * _v[3 * i + 1]; pz += _mass[i] * _v[3 * i + 2];
            total += _mass[i];
        }
        double ke = 0;
        for (int i = 0; i < _n; i++)
        {
            _v[3 * i] -= px / total; _v[3 * i + 1] -= py / total; _v[3 * i + 2] -= pz / total;
            ke += 0.5 * _mass[i] * MetalUnits.MvvToEnergy * (_v[3 * i] * _v[3 * i] + _v[3 * i + 1] * _v[3 * i + 1] + _v[3 * i + 2] * _v[3 * i + 2]);
        }
        int dof = Math.Max(1, 3 * _n - 3);
        double t = 2 * ke / (dof * MetalUnits.Boltzmann);
        if (t > 0)
        {
            double scale = Math.Sqrt(_temperature / t);
            for (int k = 0; k < _v.Length; k++) _v[k] *= scale;
        }
    }

    /// <summary>Adds the drag and the zero-sum random forces to <see cref="_f"/>.</summary>
    private void AddThermostat()
    {
        double kT = MetalUnits.Boltzmann * _temperature;
        double sx = 0, sy = 0, sz = 0;
        int k = 0;
        var random = _random;
        for (int i = 0; i < _n; i++)
        {
            double m = _mass[i] * MetalUnits.MvvToEnergy;
            double sigma = Math.Sqrt(2 * m * kT / (_damp * _dt));
            for (int c = 0; c < 3; c++, k++)
            {
                random[k] = sigma * _rng.NextGaussian();
                _f[k] -= m * _v[k] / _damp;
            }
            sx += random[k - 3]; sy += random[k - 2]; sz += random[k - 1];
        }
        sx /= _n; sy /= _n; sz /= _n;
        for (int i = 0; i < _n; i++)
        {
            _f[3 * i] += random[3 * i] - sx; _f[3 * i + 1] += random[3 * i + 1] - sy; _f[3 * i + 2] += random[3 * i + 2] - sz;
        }
    }

    /// <summary>One velocity-Verlet step with the thermostat.</summary>
    public void Step()
    {
        HalfKick();
        for (int k = 0; k < Positions.Length; k++) Positions[k] += _dt * _v[k];
        Energy = _engine.Compute(Positions, _f);
        if (!double.IsFinite(Energy)) throw new SoftspotException($"{_engine.Name} gives a non-finite energy during the MD: atoms too close together, or the time step too long?");
        AddThermostat();
        HalfKick();
    }

    private void HalfKick()
    {
        for (int i = 0; i < _n; i++)
        {
            double a = 0.5 * _dt / (_mass[i] * MetalUnits.MvvToEnergy);
            _v[3 * i] += a * _f[3 * i]; _v[3 * i + 1] += a * _f[3 * i + 1]; _v[3 * i + 2] += a * _f[3 * i + 2];
        }
    }

    /// <summary>The kinetic temperature (K) over 3N - 3 degrees of freedom.</summary>
    public double KineticTemperature()
    {
        double ke = 0;
        for (int i = 0; i < _n; i++)
            ke += 0.5 * _mass[i] * MetalUnits.MvvToEnergy * (_v[3 * i] * _v[3 * i] + _v[3 * i + 1] * _v[3 * i + 1] + _v[3 * i + 2] * _v[3 * i + 2]);
        return 2 * ke / (Math.Max(1, 3 * _n - 3) * MetalUnits.Boltzmann);
    }
}
