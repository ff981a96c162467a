using JobsFunctions.TestSupport;

[assembly: AssemblyFixture(typeof(MotoServer))]
