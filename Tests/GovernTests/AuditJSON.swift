import Foundation

/// `git govern audit --format json` in `directory`, with the process's result and the report.
func audit(_ world: World, in directory: URL? = nil, _ extra: [String] = []) throws -> (
  World.Result, [String: Any]
) {
  let result = try world.govern(["audit", "--format", "json"] + extra, in: directory)
  let json =
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
  return (result, json)
}

/// The report's lineage of `release`, if it has one.
func lineage(_ json: [String: Any], _ release: String) -> [String: Any]? {
  (json["releases"] as? [[String: Any]] ?? []).first { $0["release"] as? String == release }
}
