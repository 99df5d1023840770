package assessmenttest

import (
	"encoding/base64"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// PasswordHash is a real argon2id hash of password, in the PHC format that
// assessment.CheckPassword reads its parameters from, but at the smallest
// cost (64 KiB, one pass) instead of the production 19 MiB and two. An
// account made by a fixture signs in the way every account does, without
// the ~100 ms a check costs, and ~700 ms under the race detector, which
// instruments argon2's Go code: the suites sign in hundreds of times.
// The production cost is assessment.HashPassword's, tested there.
func PasswordHash(password string) string {
	salt := []byte("lead360 fixture!") // 16 bytes; a fixture needs no secrecy
	const memoryKiB, passes, lanes = 64, 1, 1
	key := argon2.IDKey([]byte(password), salt, passes, memoryKiB, lanes, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}
