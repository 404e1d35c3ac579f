namespace Softspot.Labels;

/// <summary>
/// Labels that cannot be made or learned from as they are: no atom labelled, one class, an ambiguous task (a stray
/// 2 in a 0/1 column), a non-finite label, too few rows of a class for the cross-validation.
/// </summary>
public sealed class LabelException(string message) : SoftspotException(message);
