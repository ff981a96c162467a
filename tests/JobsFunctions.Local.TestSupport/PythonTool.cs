using JobsFunctions.Local.Stack;

namespace JobsFunctions.TestSupport;

/// <summary>The Python tools (python3, aws) as the local stack runs them: the checkout's .venv copy when there is one.</summary>
public static class PythonTool
{
    public static string Path(string tool) => PythonTools.Find(tool, RepositoryPaths.Root);
}
