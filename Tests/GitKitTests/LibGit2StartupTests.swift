import Foundation
import Testing

@testable import GitKit

/// libgit2 starts without parsing the system CA bundle (`Clibgit2Startup`), and reads
/// repositories as before.
@Suite struct LibGit2StartupTests {
  @Test func startsWithoutLoadingTheCABundle() throws {
    let scratch = try Scratch()
    let dir = try makeRepository(in: scratch)
    let head = try commit("one", in: dir, clock: Clock(), files: ["a.txt": "a\n"])
    let repo = try Repository.open(dir, environment: cleanEnvironment)
    #expect(try repo.headTarget == head)

    // Read as a stream: /proc files report a size of 0.
    let maps = String(
      decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(),
      as: UTF8.self)
    #expect(maps.contains("libgit2"), "cannot read /proc/self/maps")
    let bundle = "/etc/ssl/certs/ca-certificates.crt"
    if maps.contains("libmbedx509"), FileManager.default.fileExists(atPath: bundle) {
      // libgit2 on mbedTLS asks for the bundle exactly once, at git_libgit2_init.
      #expect(caBundleLoadsRefused == 1)
    } else {
      #expect(caBundleLoadsRefused == 0)
    }
  }
}
