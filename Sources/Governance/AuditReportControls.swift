/// The per-control view (`audit --controls`) in each format for people; JSON is the
/// ``AuditControls`` shape itself.
extension AuditReportRenderer {
  static func controlsText(_ controls: AuditControls) -> [String] {
    var lines = [
      "controls (\(one(controls.framework)), from \(one(controls.source)); \(count(controls.sampled, "release")) sampled):"
    ]
    for control in controls.controls {
      lines.append(
        "  \(one(control.id)): \(one(control.title)): \(control.passing) passing, \(control.failing) failing of \(control.sampled) (checks: \(control.checks.joined(separator: ", ")))"
      )
      for failure in control.failures {
        lines.append(
          "    failing \(one(failure.release)) \(one(failure.ref)) [\(failure.checks.joined(separator: ", "))], records \(one(failure.records))"
        )
        lines += failure.reasons.map { "      - \(one($0))" }
      }
    }
    return lines
  }

  static func controlsMarkdown(_ controls: AuditControls) -> [String] {
    var out = ["## Controls", ""]
    out.append(
      "\(markdownInline(controls.framework)), from \(markdownInline(controls.source)): \(count(controls.sampled, "release")) sampled (every release that went out)."
    )
    out.append("")
    out += markdownTable(
      ["Control", "Title", "Checks", "Sampled", "Passing", "Failing"],
      controls.controls.map { control in
        [
          markdownCell(control.id), markdownCell(control.title),
          markdownCell(control.checks.joined(separator: ", ")), "\(control.sampled)",
          "\(control.passing)", "\(control.failing)",
        ]
      })
    out.append("")
    for control in controls.controls where !control.failures.isEmpty {
      out.append("### " + markdownInline(control.id, heading: true) + ": failing releases")
      out.append("")
      out += markdownTable(
        ["Release", "Ref", "Failed checks", "Reasons", "Records"],
        control.failures.map { failure in
          [
            markdownCell(failure.release), markdownCell(failure.ref),
            markdownCell(failure.checks.joined(separator: ", ")),
            markdownCell(failure.reasons.joined(separator: "\n")), markdownCode(failure.records),
          ]
        })
      out.append("")
    }
    return out
  }

  /// `#controls`: a row per control with its counts, and under each failing one the releases
  /// that failed it, each linked to its lineage in the page.
  static func htmlControls(_ controls: AuditControls, anchors: [String: String]) -> String {
    var out = "<section id=\"controls\">\n<h2>Controls</h2>\n"
    out +=
      "<p class=\"legend\">\(escapeHTML(controls.framework)), from <code>\(escapeHTML(controls.source))</code>: "
    out +=
      "\(escapeHTML(count(controls.sampled, "release"))) sampled (every release that went out).</p>\n"
    out += "<table class=\"controls\">\n<thead><tr><th>Control</th><th>Title</th><th>Checks</th>"
    out += "<th>Sampled</th><th>Passing</th><th>Failing</th></tr></thead>\n<tbody>\n"
    for control in controls.controls {
      let state = control.failing > 0 ? "sev-error" : "control-ok"
      out += "<tr class=\"control \(state)\" data-control=\"\(escapeHTML(control.id))\">"
      out += "<td><code>\(escapeHTML(control.id))</code></td>"
      out += "<td class=\"text\">\(escapeHTML(control.title))</td>"
      out +=
        "<td>\(control.checks.map { "<code>\(escapeHTML($0))</code>" }.joined(separator: " "))</td>"
      out +=
        "<td class=\"sampled\">\(control.sampled)</td><td class=\"passing\">\(control.passing)</td>"
      out += "<td class=\"failing\">\(control.failing)</td></tr>\n"
      guard !control.failures.isEmpty else { continue }
      out += "<tr class=\"control-failures\"><td></td><td colspan=\"5\"><ul>"
      for failure in control.failures {
        let release = escapeHTML(failure.release)
        let link = anchors[failure.release].map { "<a href=\"#\($0)\">\(release)</a>" } ?? release
        out += "<li class=\"control-failure\" data-release=\"\(release)\">\(link) "
        out += "<code>\(escapeHTML(failure.ref))</code> failed "
        out += failure.checks.map { "<code>\(escapeHTML($0))</code>" }.joined(separator: ", ")
        out += "; records <code>\(escapeHTML(failure.records))</code>"
        out += "<ul>" + failure.reasons.map { "<li class=\"text\">\(escapeHTML($0))</li>" }.joined()
        out += "</ul></li>"
      }
      out += "</ul></td></tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  /// A value on one line.
  private static func one(_ text: String) -> String { visible(text, newlines: " ") }
}
