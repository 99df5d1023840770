package main

import (
	"context"
	"fmt"
	"io"
)

// commandAction runs one action of a command made of actions, such as
// `lead360 cycle open`, with the arguments after the action's name.
type commandAction = func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// runAction runs `lead360 COMMAND ACTION ...`: the usage on -h, and a usage
// error that names the choices (as "create, list or revoke") when the
// action is missing or unknown.
func runAction(ctx context.Context, command, usage, choices string, actions map[string]commandAction, args []string,
	getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("%s: name an action (%s)", command, choices)
	}
	action, ok := actions[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return usagef("%s: unknown action %q", command, args[0])
	}
	return action(ctx, args[1:], getenv, stdout, stderr)
}
