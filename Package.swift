// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "git-govern",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "git-govern", targets: ["git-govern"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .systemLibrary(name: "Clibgit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    // Keeps libgit2's start from parsing the system CA bundle (see its one C file).
    .target(name: "Clibgit2Startup"),
    // The one allocator setting the command makes (see its one C file).
    .target(name: "CAllocator"),
    .target(name: "GitKit", dependencies: ["Clibgit2", "Clibgit2Startup"]),
    .target(name: "Governance", dependencies: ["Yams"]),
    .target(
      name: "Signing",
      dependencies: [
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .target(
      name: "Ledger",
      dependencies: [
        "GitKit", "Governance", "Signing", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "GovernCLI",
      dependencies: [
        "Ledger", "Governance", "Signing", "GitKit", "CAllocator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .executableTarget(name: "git-govern", dependencies: ["GovernCLI"]),
    .target(name: "GovernFuzz", dependencies: ["Governance", "Signing", "Ledger"]),
    .executableTarget(
      name: "govern-bench", dependencies: ["Ledger", "Governance", "Signing", "GitKit"]),
    .testTarget(name: "GitKitTests", dependencies: ["GitKit"]),
    .testTarget(name: "GovernanceTests", dependencies: ["Governance", "GovernFuzz"]),
    .testTarget(name: "SigningTests", dependencies: ["Signing"]),
    .testTarget(
      name: "GovernTests",
      dependencies: [
        "GovernCLI", "Ledger", "Governance", "Signing", "GitKit",
        // The CI templates' tests read the workflow files as the CI does.
        .product(name: "Yams", package: "Yams"),
      ]),
  ]
)
