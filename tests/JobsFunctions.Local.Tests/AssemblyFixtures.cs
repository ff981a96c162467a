using JobsFunctions.TestSupport;

[assembly: AssemblyFixture(typeof(MotoServer))]
[assembly: AssemblyFixture(typeof(PublishedBootstrap))]
