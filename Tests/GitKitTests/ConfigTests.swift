import Foundation
import Testing

@testable import GitKit

@Suite struct ConfigTests {
  @Test func parsesBothParameterFormats() throws {
    // Exactly what git 2.39 exported for:
    // git -c alias.penv='!/tmp/penv.sh' -c "Foo.Sub.Bar=it's a value" -c foo.flag -c foo.e= -c 'a.b=x!y'
    let modern =
      #"'alias.penv'=''\!'/tmp/penv.sh' 'Foo.Sub.Bar'='it'\''s a value' 'foo.flag'= 'foo.e'='' 'a.b'='x'\!'y'"#
    #expect(
      try parseConfigParameters(modern) == [
        ConfigOverride(key: "alias.penv", value: "!/tmp/penv.sh"),
        ConfigOverride(key: "foo.Sub.bar", value: "it's a value"),
        ConfigOverride(key: "foo.flag", value: nil),
        ConfigOverride(key: "foo.e", value: ""),
        ConfigOverride(key: "a.b", value: "x!y"),
      ])
    // Old style (git < 2.31): 'key=value' and valueless 'key'.
    let old = #"'Core.Editor=vim -u NONE' 'user.name=O'\''Brien'   'x.flag'"#
    #expect(
      try parseConfigParameters(old) == [
        ConfigOverride(key: "core.editor", value: "vim -u NONE"),
        ConfigOverride(key: "user.name", value: "O'Brien"),
        ConfigOverride(key: "x.flag", value: nil),
      ])
    #expect(try parseConfigParameters("") == [])
    #expect(try parseConfigParameters("  ") == [])
    #expect(
      try parseConfigParameters(#"'a.b'='1=2'"#) == [ConfigOverride(key: "a.b", value: "1=2")])
  }

  @Test func rejectsMalformedParameters() {
    for bad in [
      "a.b=c",  // unquoted
      "'a.b=c",  // unterminated
      "'a.b'=c",  // unquoted value
      "'a.b'x",  // garbage after key
      "'a.b'='c'x",  // garbage after value
      "'nodot=1'",  // no section
      "'=1'",  // empty key
    ] {
      let error = expectGitError(.invalid) { _ = try parseConfigParameters(bad) }
      #expect(error?.description.contains("GIT_CONFIG_PARAMETERS") == true, "\(bad)")
    }
  }

  @Test func overridesRepositoryConfig() throws {
    let scratch = try Scratch()
    let dir = try makeRepository(in: scratch)
    try git(["config", "govern.policy", "strict"], in: dir)
    try git(["config", "govern.enabled", "false"], in: dir)
    try git(["config", "govern.limit", "2k"], in: dir)
    try git(["config", "branch.Main.remote", "origin"], in: dir)

    let plain = try Repository.open(dir, environment: cleanEnvironment)
    #expect(try plain.configString("govern.policy") == "strict")
    #expect(try plain.configString("GOVERN.Policy") == "strict")
    #expect(try plain.configBool("govern.enabled") == false)
    #expect(try plain.configInt("govern.limit") == 2048)
    #expect(try plain.configString("govern.missing") == nil)
    #expect(try plain.configBool("govern.missing") == nil)
    #expect(try plain.configString("branch.Main.remote") == "origin")
    #expect(try plain.configString("branch.main.remote") == nil)  // subsection is case-sensitive
    expectGitError(.other(-1)) { _ = try plain.configBool("govern.policy") }

    let overridden = try Repository.open(
      dir,
      environment: [
        "GIT_CONFIG_PARAMETERS":
          #"'Govern.Policy'='lenient but '\''careful'\''' 'govern.enabled'= 'BRANCH.Main.Remote=up stream'"#,
        "GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "govern.limit", "GIT_CONFIG_VALUE_0": "7",
        "GIT_CONFIG_KEY_1": "govern.policy", "GIT_CONFIG_VALUE_1": "from-count",
      ])
    // GIT_CONFIG_PARAMETERS comes after GIT_CONFIG_COUNT and wins.
    #expect(try overridden.configString("govern.policy") == "lenient but 'careful'")
    #expect(try overridden.configBool("govern.enabled") == true)  // valueless = true
    #expect(try overridden.configString("govern.enabled") == "")
    #expect(try overridden.configInt("govern.limit") == 7)
    #expect(try overridden.configString("branch.Main.remote") == "up stream")
    #expect(try overridden.configString("branch.main.remote") == nil)

    // Malformed GIT_CONFIG_PARAMETERS: every config read fails, naming the variable.
    let broken = try Repository.open(
      dir, environment: ["GIT_CONFIG_PARAMETERS": "'govern.policy=x"])
    let error = expectGitError(.invalid) { _ = try broken.configString("govern.policy") }
    #expect(error?.description.contains("GIT_CONFIG_PARAMETERS") == true)
    expectGitError(.invalid) {
      _ = try Repository.open(dir, environment: ["GIT_CONFIG_COUNT": "1"]).configString("a.b")
    }
  }

  @Test func matchesGitForRealInvocation() throws {
    // Capture what `git -c ...` really exports to a subcommand and feed it to GitKit.
    let scratch = try Scratch()
    let dir = try makeRepository(in: scratch)
    try git(["config", "govern.mode", "repo"], in: dir)
    let exported = try git(
      [
        "-c", "alias.penv=!printf %s \"$GIT_CONFIG_PARAMETERS\"", "-c", "Govern.Mode=it's \"cli\"",
        "-c", "govern.flag", "penv",
      ], in: dir)
    let repo = try Repository.open(dir, environment: ["GIT_CONFIG_PARAMETERS": exported])
    #expect(try repo.configString("govern.mode") == "it's \"cli\"")
    #expect(try repo.configBool("govern.flag") == true)
  }
}
