package api

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// sqlStateError stands for a PostgreSQL error (pgconn.PgError) by its
// SQLSTATE, the one method databaseUnreachable asks for.
type sqlStateError string

func (e sqlStateError) Error() string    { return "postgres error " + string(e) }
func (e sqlStateError) SQLState() string { return string(e) }

// A request that met a database outage answers 503 even when the database
// is back by the time the error is handled: the error itself says so.
func TestDatabaseUnreachable(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("load survey: %w", err) }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), true},
		{"connection cut", wrap(io.ErrUnexpectedEOF), true},
		{"admin shutdown 57P01", wrap(sqlStateError("57P01")), true},
		{"starting up 57P03", wrap(sqlStateError("57P03")), true},
		{"connection failure 08006", wrap(sqlStateError("08006")), true},
		{"unique violation 23505", wrap(sqlStateError("23505")), false},
		{"a bug", errors.New("index out of range"), false},
		{"a domain error", assessment.Errorf(assessment.CodeConflict, "already released"), false},
	} {
		if got := databaseUnreachable(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
