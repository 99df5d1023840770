package assessment

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// TokenBytes is the size of a survey token before encoding: 256 bits cannot
// be guessed, however many lookups an attacker makes.
const TokenBytes = 32

// KeyBytes is the size of the secret key that seals survey tokens.
const KeyBytes = 32

// Tokens mints survey tokens. A token is 32 random bytes, base64url in the
// link; the database keeps its SHA-256 (to look it up) and a copy sealed with
// the server's secret key (so the outbox can mail it, and a reminder repeat
// it, after the transaction that minted it). A dump of the database alone
// opens no survey.
type Tokens struct {
	rand io.Reader
	aead cipher.AEAD
}

// NewTokens returns a token source sealing with key (KeyBytes long) and
// drawing randomness from random (crypto/rand when nil).
func NewTokens(key []byte, random io.Reader) (*Tokens, error) {
	if len(key) != KeyBytes {
		return nil, fmt.Errorf("token key: want %d bytes, got %d", KeyBytes, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	return &Tokens{rand: random, aead: aead}, nil
}

var tokenEncoding = base64.RawURLEncoding.Strict()

// mint returns a new token as it goes into the link, its SHA-256 and its
// sealed copy.
func (t *Tokens) mint() (token string, hash []byte, sealed string, err error) {
	raw := make([]byte, TokenBytes)
	if _, err := io.ReadFull(t.rand, raw); err != nil {
		return "", nil, "", fmt.Errorf("mint survey token: %w", err)
	}
	sum := sha256.Sum256(raw)
	nonce := make([]byte, t.aead.NonceSize())
	if _, err := io.ReadFull(t.rand, nonce); err != nil {
		return "", nil, "", fmt.Errorf("mint survey token: %w", err)
	}
	// The hash is the additional data: a sealed token only opens for the
	// invitation row it was minted with.
	box := t.aead.Seal(nonce, nonce, raw, sum[:])
	return tokenEncoding.EncodeToString(raw), sum[:], base64.RawStdEncoding.EncodeToString(box), nil
}

// open recovers the token sealed for the invitation whose hash is hash.
func (t *Tokens) open(sealed string, hash []byte) (string, error) {
	box, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(box) < t.aead.NonceSize() {
		return "", errors.New("sealed survey token is malformed")
	}
	n := t.aead.NonceSize()
	raw, err := t.aead.Open(nil, box[:n], box[n:], hash)
	if err != nil {
		return "", errors.New("sealed survey token does not open with this server's key (was LEAD360_SECRET_KEY changed?)")
	}
	sum := sha256.Sum256(raw)
	if subtle.ConstantTimeCompare(sum[:], hash) != 1 {
		return "", errors.New("sealed survey token does not match its hash")
	}
	return tokenEncoding.EncodeToString(raw), nil
}

// HashToken returns the SHA-256 of a token as it appears in a link, or false
// when the text cannot be a token (wrong length or alphabet).
func HashToken(token string) ([]byte, bool) {
	if len(token) != tokenEncoding.EncodedLen(TokenBytes) {
		return nil, false
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) != TokenBytes {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}
