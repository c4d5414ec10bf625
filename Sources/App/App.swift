import Hummingbird; import FluentKit; import FluentSQLiteDriver; import FluentPostgresDriver; import Plot; import HummingbirdBcrypt; import HummingbirdAuth
