// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "gongzhi",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gongzhi", targets: ["Run"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Already resolved for HummingbirdTesting; the device simulator's HTTP client.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
    ],
    targets: [
        // Domain is compiled optimised even in debug builds: the demo generator and the tally are
        // CPU-bound, and `swift run gongzhi serve --demo` is a debug build.
        .target(name: "Domain", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(
            name: "App",
            dependencies: [
                "Domain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "Run",
            dependencies: [
                "App",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "gongzhi-bench",
            dependencies: ["Domain"],
            path: "Benchmarks/TallyBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "gongzhi-request-bench",
            dependencies: ["App", "Domain", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/RequestBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "gongzhi-assessment-bench",
            dependencies: ["App", "Domain", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/AssessmentBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "gongzhi-city-bench",
            dependencies: ["App", "Domain", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/CityBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "gongzhi-ingest-bench",
            dependencies: ["App", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/IngestBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
