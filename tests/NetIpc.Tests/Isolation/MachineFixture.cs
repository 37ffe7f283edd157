namespace NetIpc.Tests.Isolation;

/// <summary>
/// A folder standing in for / — proc/sys, proc/self/status, proc/1/cgroup, sys/kernel/security, the files a
/// container engine leaves — and a course root beside it, so that what a machine says can be chosen.
/// </summary>
internal sealed class MachineFixture : IDisposable
{
    public MachineFixture()
    {
        Path = Directory.CreateTempSubdirectory("netipc-machine-").FullName;
        Root = System.IO.Path.Combine(Path, "root");
        Course = System.IO.Path.Combine(Path, "course");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Course);
        Sysctl("kernel.threads-max", "192735");
        Sysctl("user.max_user_namespaces", "96367");
        Write("proc/self/status", "Name:\tdotnet\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        Write("proc/1/cgroup", "0::/\n");
    }

    public string Path { get; }

    /// <summary>The folder read as /.</summary>
    public string Root { get; }

    /// <summary>The folder read as the course's root.</summary>
    public string Course { get; }

    public MachineFixture Sysctl(string name, string value) => Write("proc/sys/" + name.Replace('.', '/'), value + "\n");

    public MachineFixture Seccomp() => Write("proc/self/status", "Name:\tdotnet\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n");

    public MachineFixture Write(string relative, string text)
    {
        string path = System.IO.Path.Combine(Root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>A real file copied to where <paramref name="absolute"/> would be under the fixture's root.</summary>
    public MachineFixture Copy(string source, string absolute)
    {
        string path = System.IO.Path.Combine(Root, absolute.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.Copy(source, path, overwrite: true);
        return this;
    }

    public MachineFixture DevContainer(string json)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Course, ".devcontainer"));
        File.WriteAllText(System.IO.Path.Combine(Course, ".devcontainer", "devcontainer.json"), json);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
