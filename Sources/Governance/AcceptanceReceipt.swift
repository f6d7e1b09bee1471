/// The server's signed word of when it first accepted records of one release: written by the
/// `post-receive` hook, with the server's key, for every push of the governance branch. A
/// record's `created` is only its signer's claim; this is the server's clock. Approval and
/// exception ages count from it wherever one exists (an approval signed offline and pushed
/// hours later counts from when the server saw it).
public struct AcceptanceReceipt: ReleaseBoundRecord, Equatable {
  public static let recordKind = "acceptance"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  /// The records of the release's folder that the push brought, each with its blob.
  public var records: [AcceptedRecord]
  /// The governance branch before and after the push.
  public var old: String
  public var new: String
  /// Who pushed, as the forge said, if it said.
  public var pusher: String?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    records: [AcceptedRecord], old: String, new: String, pusher: String?
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.records, self.old, self.new, self.pusher) = (records, old, new, pusher)
  }
}

/// One record an acceptance receipt vouches for: its file name in the release's folder and its
/// blob, so the receipt speaks of exactly those bytes.
public struct AcceptedRecord: Codable, Sendable, Equatable {
  public var name: String
  public var blob: String

  public init(name: String, blob: String) {
    self.name = name
    self.blob = blob
  }
}
