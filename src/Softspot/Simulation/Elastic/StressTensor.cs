namespace Softspot.Simulation.Elastic;

/// <summary>
/// A symmetric stress tensor by its six components in LAMMPS' (and Voigt's) order xx, yy, zz, xy, xz, yz; units as
/// the producer states (bar for a cell stress). Stress, not pressure: tension is positive.
/// </summary>
public readonly record struct StressTensor(double Xx, double Yy, double Zz, double Xy, double Xz, double Yz)
{
    /// <summary>Component 0..5 in the order xx, yy, zz, xy, xz, yz.</summary>
    public double this[int component] => component switch
    {
        0 => Xx, 1 => Yy, 2 => Zz, 3 => Xy, 4 => Xz, 5 => Yz,
        _ => throw new ArgumentOutOfRangeException(nameof(component), "a stress component is 0..5 (xx, yy, zz, xy, xz, yz)"),
    };

    /// <summary>The component of a shear plane: xy, xz or yz.</summary>
    public double Shear(ShearPlane plane) => this[3 + (int)plane];

    /// <summary>Minus the mean of the diagonal: the pressure.</summary>
    public double Pressure => -(Xx + Yy + Zz) / 3;
}
