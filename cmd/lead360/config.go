package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
)

// Config is every setting of lead360, read from flags and LEAD360_*
// environment variables (flags win), with defaults that run with no set-up.
type Config struct {
	Addr            string
	DatabaseURL     string
	DataDir         string
	BaseURL         string
	LogLevel        string
	ShutdownTimeout time.Duration
	// SMTPURL is the mail server (empty: emails are written to the log).
	SMTPURL  string
	SMTPFrom string
	// SecretKey seals survey tokens (base64 of 32 bytes); empty means a key
	// file in DataDir, created on first use.
	SecretKey string
	// DevMode is true, false or auto: whether emails are written to the
	// log, links included, when there is no SMTP server (see devMode).
	DevMode string
	// MetricsAddr is where /metrics is served on its own; empty serves it
	// on Addr to loopback clients only.
	MetricsAddr string
	// TrustedProxies lists the reverse proxies (addresses or CIDRs) whose
	// X-Forwarded-For header names the client; empty trusts no header.
	TrustedProxies string
	// JobRescueAfter is how long a job left running by a process that died
	// waits before another process works it (a Go duration).
	JobRescueAfter string
	// WebhookAllowPrivate is true or false: whether webhook endpoints may
	// be http:// on loopback and deliveries may reach loopback, link-local
	// and private addresses (for tests, and receivers inside the server's
	// own network). False by default: no server-side request forgery.
	WebhookAllowPrivate string

	smtp        mail.Config   // parsed SMTPURL
	proxies     []*net.IPNet  // parsed TrustedProxies
	rescueAfter time.Duration // parsed JobRescueAfter
	from        mail.Address  // parsed SMTPFrom, or the URL's from=
	// localBase: the base URL names this machine, so its links work only
	// here. devMode: DevMode, with auto resolved from localBase.
	localBase, devMode bool
	// webhookAllowPrivate: WebhookAllowPrivate parsed.
	webhookAllowPrivate bool
}

// setting describes one configuration value: its flag, its variable, its
// default and where it lands.
type setting struct {
	flag, env, def, help string
	dst                  *string
}

func (c *Config) settings() []setting {
	return []setting{
		{"addr", "LEAD360_ADDR", ":8080", "address to listen on", &c.Addr},
		{"database-url", "LEAD360_DATABASE_URL", "", "PostgreSQL URL (postgres://...); empty uses the embedded SQLite file", &c.DatabaseURL},
		{"data-dir", "LEAD360_DATA_DIR", "./data", "directory of the embedded database", &c.DataDir},
		{"base-url", "LEAD360_BASE_URL", "http://localhost:8080", "public URL used to build links in emails", &c.BaseURL},
		{"log-level", "LEAD360_LOG_LEVEL", "info", "debug, info, warn or error", &c.LogLevel},
		{"smtp-url", "LEAD360_SMTP_URL", "", "mail server, e.g. smtp://user:pass@mail.example.com:587?tls=mandatory; empty writes emails to the log", &c.SMTPURL},
		{"smtp-from", "LEAD360_SMTP_FROM", "", "sender of emails, e.g. \"People team <hr@example.com>\"", &c.SMTPFrom},
		{"secret-key", "LEAD360_SECRET_KEY", "", "base64 of 32 random bytes that seal survey links; empty keeps a key file in the data dir", &c.SecretKey},
		{"metrics-addr", "LEAD360_METRICS_ADDR", "", "address of a separate listener for /metrics (Prometheus), e.g. 127.0.0.1:9360; empty serves /metrics on the main address to this machine only", &c.MetricsAddr},
		{"trusted-proxies", "LEAD360_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of your reverse proxies, whose X-Forwarded-For is believed; empty believes none", &c.TrustedProxies},
		{"job-rescue-after", "LEAD360_JOB_RESCUE_AFTER", "1h", "how long a job left running by a stopped or killed process waits before another process works it, e.g. 10m; jobs then time out at half of it, at most 2m", &c.JobRescueAfter},
		{"webhook-allow-private", "LEAD360_WEBHOOK_ALLOW_PRIVATE", "false", "true lets webhooks reach loopback and private addresses (http:// on loopback too); keep false in production", &c.WebhookAllowPrivate},
		{"dev-mode", "LEAD360_DEV_MODE", "auto", "true writes emails, links included, to the log when no SMTP server is set; auto: true when the base URL is localhost, 127.0.0.1 or [::1]", &c.DevMode},
	}
}

// parseConfig reads flags over environment variables over defaults, and
// validates the result so a bad value stops the program with one clear line
// that names the setting.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	fs := c.flagSet(name, "", getenv, stderr)
	if err := parseFlags(fs, args, 0); err != nil {
		return Config{}, err
	}
	return c, c.validate()
}

// databaseSettings are the settings of a command that works on the
// database through the service: where the database is, the key that seals
// links, and how much to log.
var databaseSettings = []string{"database-url", "data-dir", "secret-key", "log-level"}

// flagSet is the flag set of a subcommand, defaulting every setting of c to
// its environment variable or default. The settings named in only are
// flags too (every one when only is empty), so -h lists just the flags
// the subcommand uses. The subcommand adds its own flags and calls
// c.validate after parsing. A non-empty usage replaces the default usage
// text.
func (c *Config) flagSet(name, usage string, getenv func(string) string, stderr io.Writer, only ...string) *flag.FlagSet {
	fs := flag.NewFlagSet("lead360 "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if usage != "" {
		fs.Usage = func() {
			fmt.Fprint(fs.Output(), usage)
			fs.PrintDefaults()
		}
	}
	for _, s := range c.settings() {
		*s.dst = s.def
		if v := getenv(s.env); v != "" {
			*s.dst = v
		}
		if len(only) == 0 || slices.Contains(only, s.flag) {
			fs.StringVar(s.dst, s.flag, *s.dst, s.help+" ("+s.env+")")
		}
	}
	c.ShutdownTimeout = 15 * time.Second
	return fs
}

func (c *Config) validate() error {
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return errors.New("LEAD360_DATABASE_URL: not a postgres:// URL (example: postgres://lead360:secret@localhost:5432/lead360)")
		}
	} else if err := checkWritableDir(c.DataDir); err != nil {
		return fmt.Errorf("LEAD360_DATA_DIR: %w", err)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("LEAD360_BASE_URL: %q is not an http:// or https:// URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.localBase = isLoopbackHost(u.Hostname())
	if _, err := c.level(); err != nil {
		return err
	}
	if c.proxies, err = parseProxies(c.TrustedProxies); err != nil {
		return err
	}
	if c.rescueAfter, err = time.ParseDuration(c.JobRescueAfter); err != nil || c.rescueAfter < 2*time.Second {
		return fmt.Errorf("LEAD360_JOB_RESCUE_AFTER: %q is not a duration of at least 2s (examples: 10m, 1h)", c.JobRescueAfter)
	}
	if c.webhookAllowPrivate, err = strconv.ParseBool(c.WebhookAllowPrivate); err != nil {
		return fmt.Errorf("LEAD360_WEBHOOK_ALLOW_PRIVATE: %q is not true or false", c.WebhookAllowPrivate)
	}
	switch dev, err := strconv.ParseBool(c.DevMode); {
	case strings.EqualFold(c.DevMode, "auto"):
		c.devMode = c.localBase
	case err == nil:
		c.devMode = dev
	default:
		return fmt.Errorf("LEAD360_DEV_MODE: %q is not true, false or auto", c.DevMode)
	}
	return c.validateMail()
}

// isLoopbackHost reports whether a URL's host is this machine: localhost or
// a loopback address, where a link works for nobody else.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validateMail parses the SMTP settings. Errors never show the password.
func (c *Config) validateMail() error {
	if c.SMTPURL != "" {
		mc, err := mail.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			return fmt.Errorf("LEAD360_SMTP_URL: %w", err)
		}
		c.smtp = mc
		c.from = mc.From
	}
	if c.SMTPFrom != "" {
		a, err := mail.ParseAddress(c.SMTPFrom)
		if err != nil {
			return fmt.Errorf("LEAD360_SMTP_FROM: %q: %w", c.SMTPFrom, err)
		}
		c.from = a
	}
	if c.from.Email == "" {
		if c.SMTPURL != "" {
			return errors.New("LEAD360_SMTP_FROM: set the sender of emails (for example \"People team <hr@example.com>\")")
		}
		c.from = mail.Address{Email: "lead360@localhost"}
	}
	if c.SecretKey != "" {
		if _, err := decodeSecretKey(c.SecretKey); err != nil {
			return fmt.Errorf("LEAD360_SECRET_KEY: %w", err)
		}
	}
	return nil
}

func decodeSecretKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(strings.TrimSpace(s)); err == nil {
			if len(k) != assessment.KeyBytes {
				return nil, fmt.Errorf("want base64 of %d bytes, got %d bytes (make one with: openssl rand -base64 32)", assessment.KeyBytes, len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("not base64 (make one with: openssl rand -base64 32)")
}

// secretKeyFile is where the token key lives when LEAD360_SECRET_KEY is
// not set. Several processes on one PostgreSQL need the same key: set it.
const secretKeyFile = "secret.key"

// tokenKey returns the key that seals survey tokens: the configured one, or
// the key file in the data directory, created (0600) on first use.
func (c *Config) tokenKey(log *slog.Logger) ([]byte, error) {
	if c.SecretKey != "" {
		return decodeSecretKey(c.SecretKey)
	}
	path := filepath.Join(c.DataDir, secretKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		k, derr := decodeSecretKey(string(b))
		if derr != nil {
			return nil, fmt.Errorf("LEAD360_DATA_DIR: %s: %w", path, derr)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("LEAD360_DATA_DIR: read %s: %w", path, err)
	}
	k := make([]byte, assessment.KeyBytes)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("LEAD360_DATA_DIR: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return c.tokenKey(log) // another process created it first
	}
	if err != nil {
		return nil, fmt.Errorf("LEAD360_DATA_DIR: create %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		return nil, fmt.Errorf("LEAD360_DATA_DIR: write %s: %w", path, err)
	}
	log.Warn("created a key for survey and password links; keep a copy apart from the database and its backups "+
		"(without it, links already sent stop working; beside the database, it opens them), and set LEAD360_SECRET_KEY "+
		"in production or when running more than one server", slog.String("file", path))
	return k, f.Sync()
}

// mailSender is where emails go: the SMTP server; without one, the log in
// development mode, and otherwise nowhere, each email failing for HR to see.
func (c *Config) mailSender(log *slog.Logger) (mail.Sender, error) {
	switch {
	case c.SMTPURL != "":
		s, err := mail.NewSMTPSender(c.smtp)
		if err != nil {
			return nil, err
		}
		return s, nil
	case c.devMode:
		return mail.NewLogSender(log), nil
	}
	return mail.FailingSender{Reason: "not sent: this lead360 server has no mail server configured (LEAD360_SMTP_URL); " +
		"ask whoever runs it to set one, then resend"}, nil
}

// warnAboutLinks says at start-up, as warnings, every setting that puts
// survey or password links within reach of people who should not have
// them, or that keeps them from the people who should.
func (c *Config) warnAboutLinks(log *slog.Logger) {
	switch {
	case c.SMTPURL == "" && c.devMode:
		why := "LEAD360_DEV_MODE=true"
		if strings.EqualFold(c.DevMode, "auto") {
			why = "the base URL " + c.BaseURL + " is on this machine"
		}
		log.Warn("development mode (" + why + "): with no SMTP server set, every email is written to this log, " +
			"survey and password links included, and anyone who can read the log can open those surveys and set those passwords. " +
			"Never run a real cycle like this: set LEAD360_SMTP_URL")
	case c.SMTPURL == "":
		log.Warn("no SMTP server set (LEAD360_SMTP_URL): no email will be sent. Each invitation, reminder and password email " +
			"is recorded as failed, where HR sees it, and its link is written nowhere. Set LEAD360_SMTP_URL, " +
			"or LEAD360_DEV_MODE=true on a development machine to write emails to the log")
	}
	if c.SecretKey == "" && !c.localBase {
		path := filepath.Join(c.DataDir, secretKeyFile)
		log.Warn("the key that seals survey and password links is a file in the data directory, "+
			"so anyone with a copy of that directory (a backup, a volume snapshot) and the database can open every survey still open "+
			"and change its answers. Keep the key apart: set LEAD360_SECRET_KEY from a secret store, "+
			"with the content of the key file if this server has already sent links (or they stop working), then delete the file",
			slog.String("file", path))
	}
}

// checkWritableDir creates the directory if needed and proves a file can be
// written there, so the embedded database does not fail later.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write to %s: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("LEAD360_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// logger writes text logs to w at the configured level.
func (c *Config) logger(w io.Writer) *slog.Logger {
	l, _ := c.level()
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// logValue is the configuration for the start-up log, with secrets masked.
func (c *Config) logValue() slog.Value {
	db := "embedded sqlite in " + filepath.Join(c.DataDir, "lead360.db")
	if c.DatabaseURL != "" {
		db = redactURL(c.DatabaseURL)
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("database", db),
		slog.String("base_url", c.BaseURL),
		slog.String("log_level", c.LogLevel),
		slog.String("smtp", c.smtpLogValue()),
		slog.String("smtp_from", c.from.String()),
		slog.String("secret_key", map[bool]string{true: "set (masked)", false: "key file in data dir"}[c.SecretKey != ""]),
		slog.Bool("dev_mode", c.devMode),
		slog.Bool("webhook_allow_private", c.webhookAllowPrivate),
	)
}

func (c *Config) smtpLogValue() string {
	switch {
	case c.SMTPURL != "":
		return c.smtp.Redacted()
	case c.devMode:
		return "none: emails are written to the log (development mode)"
	}
	return "none: emails are not sent"
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return info.Main.Version + " (" + s.Value[:12] + ")"
			}
		}
		if info.Main.Version != "" {
			return info.Main.Version
		}
	}
	return "dev"
}

// parseProxies reads LEAD360_TRUSTED_PROXIES: addresses or CIDRs, separated
// by commas; a single address is a range of one.
func parseProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			ip := net.ParseIP(item)
			if ip == nil {
				return nil, fmt.Errorf("LEAD360_TRUSTED_PROXIES: %q is not an address or a CIDR such as 10.0.0.0/8", item)
			}
			bits := 128
			if ip.To4() != nil {
				bits = 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, fmt.Errorf("LEAD360_TRUSTED_PROXIES: %q is not an address or a CIDR such as 10.0.0.0/8", item)
		}
		out = append(out, n)
	}
	return out, nil
}
