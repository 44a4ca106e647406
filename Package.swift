// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "GoLive",
    // Linux only (ncurses through a shim, glibc calls, /proc): no Apple platform is declared.
    products: [
        .executable(name: "golive", targets: ["golive"]),
    ],
    // The shared store on PostgreSQL pulls in swift-nio, swift-nio-ssl and a second BoringSSL:
    // most of a first build. It is off by default so that `swift run golive demo` builds in
    // minutes; `.ci/run` and the README's test and release commands enable it.
    traits: [
        .trait(name: "Postgres", description: "The shared store on PostgreSQL (golive --store postgres://…, golive store …)"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // Linux calls the Glibc module leaves out (see shim.h).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .target(
            name: "GoLiveCore",
            dependencies: [
                "CLinux",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA verification (rsa-sha2-256/512 SSH signatures).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The shared store: the journal's records in PostgreSQL (GoLiveCore's `SharedJournal`).
        .target(
            name: "GoLivePostgres",
            dependencies: [
                "GoLiveCore",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Postgres"])),
            ]
        ),
        .target(
            name: "GoLiveUI",
            dependencies: ["GoLiveCore", "CNcurses", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "golive",
            dependencies: [
                "GoLiveCore", "GoLiveUI", "GoLivePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
        ),
        .executableTarget(
            name: "golive-bench",
            dependencies: ["GoLiveCore", "GoLiveUI"]
        ),
        // What the three test targets share: a temp folder removed at exit, a seeded generator, real SSH keys and agents.
        .target(name: "GoLiveTestSupport", dependencies: ["GoLiveCore", .product(name: "Crypto", package: "swift-crypto")], path: "Tests/Support"),
        .testTarget(name: "GoLiveCoreTests", dependencies: [
            "GoLiveCore", "GoLiveTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "GoLiveUITests", dependencies: ["GoLiveUI", "GoLiveCore", "GoLiveTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["GoLiveCore", "GoLiveUI", "GoLivePostgres", "GoLiveTestSupport"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
