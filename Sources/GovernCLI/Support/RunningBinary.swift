import Foundation
import Glibc

/// The git-govern binary this process runs from: hooks call it when `git-govern` is not on PATH.
enum RunningBinary {
  static var path: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }

  /// What tells this build from another, for the verification cache's "found sound" entries:
  /// the version, and the executable's device, inode, size and modification time. A rebuilt or
  /// reinstalled binary (whose rules may differ while its version does not) is another checker
  /// and checks every governance commit again: that costs one full audit, never a verdict.
  static var buildIdentity: String {
    var status = stat()
    guard stat("/proc/self/exe", &status) == 0 else {
      // No way to tell builds apart: a checker no other run is, so nothing is taken.
      return "git-govern \(GitGovernVersion.number), unidentified build \(UUID().uuidString)"
    }
    return
      "git-govern \(GitGovernVersion.number), executable \(status.st_dev):\(status.st_ino) "
      + "\(status.st_size) bytes, modified \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
  }
}
