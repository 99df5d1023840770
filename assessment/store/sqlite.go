package store

// What differs on SQLite: where the file is and how it is opened. (SQLite's
// error codes sit in store.go, beside PostgreSQL's, in constraintKind.)

// SQLiteFile is the name of the embedded database inside the data directory.
const SQLiteFile = "lead360.db"

// SQLiteDSN is the connection string for an SQLite file: WAL so readers do not
// block the writer, a busy timeout for a second process, foreign keys on, and
// immediate transactions because deferred ones fail at once under contention.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}
