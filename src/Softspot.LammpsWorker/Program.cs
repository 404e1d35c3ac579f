// The process in which LammpsForceEngine runs the LAMMPS library: a LAMMPS error ends this process, not the caller.
return Softspot.Simulation.Lammps.LammpsWorker.ServeStandardStreams();
