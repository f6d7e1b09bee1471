import Foundation
import Testing

@testable import Signing

@Suite struct SSHPublicKeyTests {
  @Test(arguments: TestKeyKind.allCases)
  func parsesKeyFilesAndMatchesSSHKeygenFingerprint(kind: TestKeyKind) throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(kind, named: "k", in: directory)
      let line = try String(contentsOfFile: key.publicPath, encoding: .utf8)
      let parsed = try SSHPublicKey(authorizedKey: line)
      #expect(parsed.algorithm == kind.algorithm)
      #expect(parsed.comment == "k@test")
      #expect(line.hasPrefix(parsed.authorizedKey + " "))

      let listing = try Shell.run("ssh-keygen -l -E sha256 -f k.pub", in: directory).output
      let fields = listing.split(separator: " ")
      #expect(fields.count >= 2)
      #expect(parsed.fingerprint == String(fields[1]))
      if kind == .rsa3072 {
        #expect(parsed.rsaModulusBits == 3072)
      } else {
        #expect(parsed.rsaModulusBits == nil)
      }

      let fromBlob = try SSHPublicKey(wireBlob: parsed.blob)
      #expect(fromBlob == parsed)
      #expect(fromBlob.comment == nil)
      #expect(fromBlob.authorizedKey == parsed.authorizedKey)
    }
  }

  @Test func equalityAndHashIgnoreTheComment() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let withComment = try SSHPublicKey(authorizedKey: key.publicKey.authorizedKey + " alice")
      let withoutComment = try SSHPublicKey(authorizedKey: key.publicKey.authorizedKey)
      #expect(withComment == withoutComment)
      #expect(Set([withComment, withoutComment]).count == 1)
      #expect(withComment.comment == "alice")
      #expect(withoutComment.comment == nil)
    }
  }

  @Test func toleratesSurroundingWhitespaceAndCommentsWithSpaces() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let parsed = try SSHPublicKey(
        authorizedKey: " \t" + key.publicKey.authorizedKey.replacingOccurrences(of: " ", with: "  ")
          + "  Alice Example <alice@example.org>\r\n")
      #expect(parsed == key.publicKey)
      #expect(parsed.comment == "Alice Example <alice@example.org>")
    }
  }

  @Test func refusesMalformedLines() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let rsa = try TestKey.generate(.rsa3072, named: "r", in: directory)
      let base64 = String(key.publicKey.authorizedKey.split(separator: " ")[1])

      func failure(_ line: String) -> String {
        do {
          _ = try SSHPublicKey(authorizedKey: line)
          return "accepted"
        } catch {
          return "\(error)"
        }
      }
      #expect(failure("") == "malformed SSH public key: the key line is empty")
      #expect(failure("   \n") == "malformed SSH public key: the key line is empty")
      #expect(failure("no-pty " + key.publicKey.authorizedKey).contains("authorized_keys options"))
      #expect(
        failure("command=\"x\" " + key.publicKey.authorizedKey).contains("authorized_keys options"))
      #expect(
        failure("ssh-ed25519")
          == "malformed SSH public key: no base64 key data after \"ssh-ed25519\"")
      #expect(failure("ssh-ed25519 AAAA%%%%").contains("not valid base64"))
      #expect(failure("ssh-ed25519 " + base64.dropLast()).contains("not valid base64"))
      #expect(
        failure("ssh-rsa " + base64)
          == "malformed SSH public key: the line says \"ssh-rsa\" but the key data is a ssh-ed25519 key"
      )
      #expect(
        failure("ssh-dss AAAAB3NzaC1kc3MAAAA")
          == "unsupported key type \"ssh-dss\"; only ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa are accepted"
      )
      #expect(
        failure(key.publicKey.authorizedKey + "\n" + rsa.publicKey.authorizedKey).contains(
          "single line"))
    }
  }

  @Test func refusesMalformedBlobs() throws {
    func blob(_ build: (inout SSHWireWriter) -> Void) -> [UInt8] {
      var writer = SSHWireWriter()
      build(&writer)
      return writer.bytes
    }
    func failure(_ bytes: [UInt8]) -> String {
      do {
        _ = try SSHPublicKey(wireBlob: bytes)
        return "accepted"
      } catch {
        return "\(error)"
      }
    }
    #expect(failure([]).contains("length of key type needs 4 bytes"))
    #expect(
      failure([0xFF, 0xFF, 0xFF, 0xFF, 0x41]).contains("claims 4294967295 bytes but only 1 remain"))
    #expect(
      failure(
        blob {
          $0.appendString("ssh-ed25519")
          $0.appendString([UInt8](repeating: 1, count: 31))
        })
        == "malformed SSH public key: ssh-ed25519 public key is 31 bytes, expected 32")
    #expect(
      failure(
        blob {
          $0.appendString("ssh-ed25519")
          $0.appendString([UInt8](repeating: 1, count: 32))
          $0.appendUInt32(7)
        }
      ).contains("4 unexpected trailing bytes"))
    #expect(
      failure(
        blob {
          $0.appendString("ecdsa-sha2-nistp256")
          $0.appendString("nistp384")
          $0.appendString([4] + [UInt8](repeating: 1, count: 64))
        }
      ).contains("names curve \"nistp384\""))
    #expect(
      failure(
        blob {
          $0.appendString("ecdsa-sha2-nistp256")
          $0.appendString("nistp256")
          $0.appendString([4] + [UInt8](repeating: 1, count: 64))
        }
      ) == "malformed SSH public key: ecdsa-sha2-nistp256 public point is not on the curve")
    #expect(
      failure(
        blob {
          $0.appendString("ssh-rsa")
          $0.appendString([0x80, 0x01])
          $0.appendMPInt(magnitude: [UInt8](repeating: 0xC3, count: 256))
        }
      ).contains("RSA public exponent is a negative mpint"))
  }

  @Test func reportsRSAModulusSize() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(arguments: "-t rsa -b 1024", named: "small", in: directory)
      #expect(key.publicKey.rsaModulusBits == 1024)
    }
  }
}
