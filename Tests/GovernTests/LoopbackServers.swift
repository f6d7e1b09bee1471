import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Real servers on 127.0.0.1, started and stopped by the tests: OpenSSH's sshd (plain, with
/// forced commands, or in front of gitolite) and Apache httpd with `git http-backend`. Each
/// writes its configuration, keys and logs under the world's folder and listens on a port the
/// kernel chose free.
enum Loopback {
  static var isRoot: Bool { geteuid() == 0 }
  static var user: String { String(cString: getpwuid(geteuid()).pointee.pw_name) }

  /// A TCP port nothing listens on now (the kernel's pick for port 0).
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else { throw World.WorldError.commandFailed("no free port on 127.0.0.1") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Runs a command that daemonizes (sshd, `apache2 -k start`) with every descriptor above
  /// 2 closed first: a daemon that inherits the test process's descriptors keeps Foundation's
  /// Process from ever seeing its children exit.
  static func startDaemon(_ command: [String], world: World, in folder: URL) throws {
    let closeAll =
      "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null; exec \"$@\""
    try world.expectSuccess(
      world.run(["bash", "-c", closeAll, "daemon"] + command, in: folder))
  }

  /// The pid a daemon wrote, read once it listens: the world's folder may be gone by the time
  /// the server is stopped.
  static func pid(in file: URL) -> pid_t? {
    for _ in 0..<50 {
      if let text = try? String(contentsOf: file, encoding: .utf8),
        let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        return pid
      }
      usleep(50_000)
    }
    return nil
  }

  /// Whether something accepts connections on the port, tried for up to five seconds.
  static func waitForListener(_ port: Int) -> Bool {
    for _ in 0..<100 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
      close(fd)
      if connected { return true }
      usleep(50_000)
    }
    return false
  }
}

/// OpenSSH's sshd on 127.0.0.1, in the foreground, for the user running the tests only (as
/// root, with privilege separation as Debian sets it up).
final class SSHDaemon {
  let port: Int
  let folder: URL
  private var pid: pid_t?

  /// `authorizedKeys` is the file sshd reads keys (and their forced commands) from;
  /// `environment` is set in every session (gitolite needs its `HOME`).
  init(_ world: World, name: String, authorizedKeys: URL, environment: [String: String] = [:])
    throws
  {
    folder = world.root.appendingPathComponent("sshd-\(name)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let hostKey = folder.appendingPathComponent("host_ed25519").path
    try world.expectSuccess(
      world.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey], in: folder))
    if Loopback.isRoot {
      try FileManager.default.createDirectory(
        atPath: "/run/sshd", withIntermediateDirectories: true)
    }
    port = try Loopback.freePort()
    let settings =
      [
        "Port \(port)", "ListenAddress 127.0.0.1", "HostKey \(hostKey)",
        "AuthorizedKeysFile \(authorizedKeys.path)", "PidFile \(folder.path)/sshd.pid",
        "StrictModes no", "UsePAM no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password",
        "AllowUsers \(Loopback.user)", "LogLevel ERROR",
      ] + environment.sorted { $0.key < $1.key }.map { "SetEnv \($0.key)=\($0.value)" }
    let config = folder.appendingPathComponent("sshd_config")
    try Data((settings.joined(separator: "\n") + "\n").utf8).write(to: config)
    // A daemon that writes its pid file, stopped by it.
    let log = folder.appendingPathComponent("sshd.log")
    try Loopback.startDaemon(
      ["/usr/sbin/sshd", "-f", config.path, "-E", log.path], world: world, in: folder)
    guard Loopback.waitForListener(port) else {
      throw World.WorldError.commandFailed(
        "sshd did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }
    pid = Loopback.pid(in: folder.appendingPathComponent("sshd.pid"))
  }

  /// The daemon leads its own process group; SIGKILL to the group, because a process started
  /// from the test runner's threads may have SIGTERM blocked.
  deinit { if let pid { kill(-pid, SIGKILL) } }

  /// `GIT_SSH_COMMAND` for pushing as the owner of `key`, trusting this host key blindly.
  static func command(key: String) -> String {
    "ssh -i \(key) -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes"
  }

  func url(_ path: String) -> String { "ssh://\(Loopback.user)@127.0.0.1:\(port)/\(path)" }
}

/// Apache httpd serving `git http-backend` under /git/ with basic authentication, so the hooks
/// see `REMOTE_USER`. As root, its workers run as www-data, which then owns what they write.
final class ApacheGitServer {
  let port: Int
  let folder: URL
  let projects: URL
  private var pid: pid_t?

  static let workerUser = "www-data"

  init(_ world: World, users: [String: String]) throws {
    folder = world.root.appendingPathComponent("apache")
    projects = folder.appendingPathComponent("srv")
    try FileManager.default.createDirectory(at: projects, withIntermediateDirectories: true)
    let passwords = folder.appendingPathComponent("htpasswd")
    for (index, (user, password)) in users.sorted(by: { $0.key < $1.key }).enumerated() {
      try world.expectSuccess(
        world.run(
          ["htpasswd", "-b", "-B"] + (index == 0 ? ["-c"] : []) + [passwords.path, user, password],
          in: folder))
    }
    port = try Loopback.freePort()
    let modules = "/usr/lib/apache2/modules"
    let lines =
      [
        "ServerRoot \"\(folder.path)\"", "ServerName 127.0.0.1", "Listen 127.0.0.1:\(port)",
        "PidFile \(folder.path)/httpd.pid", "DefaultRuntimeDir \(folder.path)",
        "Mutex file:\(folder.path) default", "ErrorLog \(folder.path)/error.log", "LogLevel warn",
      ]
      + [
        "mpm_prefork", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic",
        "alias", "cgi", "env",
      ].map { "LoadModule \($0)_module \(modules)/mod_\($0).so" }
      + (Loopback.isRoot ? ["User \(Self.workerUser)", "Group \(Self.workerUser)"] : [])
    // The site itself is the README's recipe, templates/servers/apache/git-govern.conf.
    let site = try String(
      contentsOf: World.packageRoot.appendingPathComponent(
        "templates/servers/apache/git-govern.conf"),
      encoding: .utf8
    ).replacingOccurrences(of: "@PROJECT_ROOT@", with: projects.path)
      .replacingOccurrences(of: "@HTPASSWD@", with: passwords.path)
    let config = folder.appendingPathComponent("httpd.conf")
    try Data((lines.joined(separator: "\n") + "\n" + site).utf8).write(to: config)
    try Loopback.startDaemon(
      ["/usr/sbin/apache2", "-f", config.path, "-k", "start"], world: world, in: folder)
    guard Loopback.waitForListener(port) else {
      throw World.WorldError.commandFailed(
        "apache did not start: \((try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")"
      )
    }
    pid = Loopback.pid(in: folder.appendingPathComponent("httpd.pid"))
  }

  /// SIGTERM to the parent stops Apache and its workers.
  /// The daemon leads its own process group; SIGKILL to the group, because a process started
  /// from the test runner's threads may have SIGTERM blocked.
  deinit { if let pid { kill(-pid, SIGKILL) } }

  func url(_ repository: String, user: String, password: String) -> String {
    "http://\(user):\(password)@127.0.0.1:\(port)/git/\(repository)"
  }
}
