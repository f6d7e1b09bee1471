/// The records the audit reads by the ten thousand write themselves back for the canonical
/// check (`CanonicalJSONReader`); a record whose writing differed from its `Encodable` form
/// would only be passed on to `JSONDecoder`, which compares with `JSONEncoder`'s text.
extension ReleaseRequest: JSONSelfWriting {
  func writeJSON(into out: inout [UInt8], indent: Int?) {
    var object = JSONObjectWriter(into: &out, indent: indent)
    object.field("actor", actor, into: &out)
    object.field("change", change, into: &out)
    object.field("created", created, into: &out)
    object.field("email", email, into: &out)
    object.field("incident", incident, into: &out)
    object.field("kind", kind, into: &out)
    object.field("ref", ref, into: &out)
    object.field("release", release, into: &out)
    object.field("repo", repo, into: &out)
    object.field("risk", risk.rawValue, into: &out)
    object.field("target", target, into: &out)
    object.field("title", title, into: &out)
    object.field("tree", tree, into: &out)
    object.field("type", type.rawValue, into: &out)
    object.field("version", version, into: &out)
    object.end(into: &out)
  }
}

extension Approval: JSONSelfWriting {
  func writeJSON(into out: inout [UInt8], indent: Int?) {
    var object = JSONObjectWriter(into: &out, indent: indent)
    object.field("actor", actor, into: &out)
    object.field("comment", comment, into: &out)
    object.field("created", created, into: &out)
    object.field("email", email, into: &out)
    object.field("kind", kind, into: &out)
    object.field("policy", policy, into: &out)
    object.field("ref", ref, into: &out)
    object.field("release", release, into: &out)
    object.field("repo", repo, into: &out)
    object.field("target", target, into: &out)
    object.field("tree", tree, into: &out)
    object.field("version", version, into: &out)
    object.end(into: &out)
  }
}

extension Evidence: JSONSelfWriting {
  func writeJSON(into out: inout [UInt8], indent: Int?) {
    var object = JSONObjectWriter(into: &out, indent: indent)
    object.field("actor", actor, into: &out)
    object.field("created", created, into: &out)
    object.field("email", email, into: &out)
    object.field("evidence", evidence, into: &out)
    object.field("kind", kind, into: &out)
    object.field("name", name, into: &out)
    object.field("ref", ref, into: &out)
    object.field("release", release, into: &out)
    object.field("repo", repo, into: &out)
    object.field("sha256", sha256, into: &out)
    object.field("size", size, into: &out)
    object.field("target", target, into: &out)
    object.field("tree", tree, into: &out)
    object.field("url", url, into: &out)
    object.field("version", version, into: &out)
    object.end(into: &out)
  }
}

extension Closeout: JSONSelfWriting {
  func writeJSON(into out: inout [UInt8], indent: Int?) {
    var object = JSONObjectWriter(into: &out, indent: indent)
    object.field("actor", actor, into: &out)
    object.field("artifacts", artifacts, into: &out)
    object.field("created", created, into: &out)
    object.field("email", email, into: &out)
    object.field("kind", kind, into: &out)
    object.field("legal_hold", legal_hold, into: &out)
    object.field("outcome", outcome.rawValue, into: &out)
    object.field("ref", ref, into: &out)
    object.field("release", release, into: &out)
    object.field("repo", repo, into: &out)
    object.field("retain_until", retain_until, into: &out)
    object.field("target", target, into: &out)
    object.field("tree", tree, into: &out)
    object.field("version", version, into: &out)
    object.end(into: &out)
  }
}

extension Artifact: JSONSelfWriting {
  func writeJSON(into out: inout [UInt8], indent: Int?) {
    var object = JSONObjectWriter(into: &out, indent: indent)
    object.field("name", name, into: &out)
    object.field("sha256", sha256, into: &out)
    object.field("size", size, into: &out)
    object.end(into: &out)
  }
}
