package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
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
	}
}

// parseConfig reads flags over environment variables over defaults, and
// validates the result so a bad value stops the program with one clear line
// that names the setting.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("lead360 "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.dst, s.flag, def, s.help+" ("+s.env+")")
	}
	c.ShutdownTimeout = 15 * time.Second
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.validate()
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
	if _, err := c.level(); err != nil {
		return err
	}
	return nil
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
	)
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
