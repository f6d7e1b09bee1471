import Foundation

/// An in-toto Statement (v1 or v0.1): what was attested (`subject`, by digest), the kind of
/// claim (`predicateType`) and, for SLSA provenance, the source it was built from.
///
/// Spec: github.com/in-toto/attestation, spec/v1/statement.md; SLSA provenance v0.2 and v1.
public struct InTotoStatement: Sendable, Equatable {
  public struct Subject: Codable, Sendable, Equatable {
    public var name: String
    /// Algorithm → lowercase hex: `sha256`, `sha512`, `gitCommit`, `sha1`, …
    public var digest: [String: String]

    public init(name: String, digest: [String: String]) {
      self.name = name
      self.digest = digest
    }
  }

  public static let types: Set<String> = [
    "https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1",
  ]

  public var subjects: [Subject]
  public var predicateType: String
  /// Digests of what a SLSA provenance says the build consumed (v1
  /// `buildDefinition.resolvedDependencies`, v0.2 `materials`), by algorithm.
  public var materials: [[String: String]]

  /// Reads the statement from a DSSE payload. Errors are sentence fragments.
  public init(payload: [UInt8]) throws(AttestationProblem) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
    else { throw AttestationProblem("its payload is not a JSON object (an in-toto Statement)") }
    guard let type = object["_type"] as? String, Self.types.contains(type) else {
      throw AttestationProblem(
        "its payload's _type is \(Self.quote(object["_type"])), expected https://in-toto.io/Statement/v1"
      )
    }
    guard let predicateType = object["predicateType"] as? String, !predicateType.isEmpty else {
      throw AttestationProblem("its statement has no predicateType")
    }
    guard let subjectList = object["subject"] as? [Any], !subjectList.isEmpty else {
      throw AttestationProblem("its statement has no subject")
    }
    var subjects: [Subject] = []
    for (index, item) in subjectList.enumerated() {
      guard let subject = item as? [String: Any], let digest = Self.digestSet(subject["digest"]),
        !digest.isEmpty
      else {
        throw AttestationProblem(
          "subject \(index + 1) of its statement has no digest (such as {\"sha256\": \"…\"})")
      }
      subjects.append(Subject(name: subject["name"] as? String ?? "", digest: digest))
    }
    self.subjects = subjects
    self.predicateType = predicateType
    let predicate = object["predicate"] as? [String: Any] ?? [:]
    let build = predicate["buildDefinition"] as? [String: Any] ?? [:]
    let consumed =
      (build["resolvedDependencies"] as? [Any] ?? []) + (predicate["materials"] as? [Any] ?? [])
    self.materials = consumed.compactMap {
      ($0 as? [String: Any]).flatMap { Self.digestSet($0["digest"]) }
    }
  }

  /// A digest set with algorithms as keys and hex values, lowercased; nil when not one.
  static func digestSet(_ value: Any?) -> [String: String]? {
    guard let map = value as? [String: Any] else { return nil }
    var digests: [String: String] = [:]
    for (algorithm, value) in map {
      guard let hex = value as? String, !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else {
        return nil
      }
      digests[algorithm] = hex.lowercased()
    }
    return digests
  }

  private static func quote(_ value: Any?) -> String {
    (value as? String).map { "\"\($0)\"" } ?? "missing"
  }
}
