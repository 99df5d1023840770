package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/store"
)

// openStore connects to the configured database and applies migrations.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		if cfg.DatabaseURL != "" {
			return nil, fmt.Errorf("LEAD360_DATABASE_URL: %w", err)
		}
		return nil, fmt.Errorf("LEAD360_DATA_DIR: %w", err)
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for _, name := range applied {
		log.Info("migration applied", slog.String("file", name))
	}
	return st, nil
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "database schema is up to date (%s)\n", st.Dialect())
	return nil
}

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("demo", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newService(cfg, st, log)
	if err != nil {
		return err
	}
	sum, err := svc.LoadDemo(ctx, "admin@demo.example.com")
	if err != nil {
		return err
	}
	if sum.AlreadyLoaded {
		fmt.Fprintf(stdout, "The demo organisation %q is already loaded (cycle %s).\nIts admin is %s; the password was printed when it was first loaded.\n",
			assessment.DemoOrganization, sum.CycleID, sum.AdminEmail)
		return nil
	}
	fmt.Fprintf(stdout, "Loaded %q: %d leaders, %d responses, closed cycle %s;\nand cycle %s, open and in progress.\n",
		assessment.DemoOrganization, sum.Leaders, sum.Responses, sum.CycleID, sum.OpenCycleID)
	fmt.Fprintf(stdout, "Dashboard admin: %s\nPassword:        %s   (shown once; keep it)\n", sum.AdminEmail, sum.AdminPassword)
	return nil
}
