// Package assessment is lead360's domain: the nouns of a 360 (cycles,
// people, instruments, invitations, responses), their rules, and the use
// cases that change them, each one method of Service or Accounts running in
// one transaction. It speaks to the database only through the Store
// interface (implemented in assessment/store) and to the job queue only by
// recording jobs in that store (worked in assessment/outbox).
//
// Where things live:
//
//	cycle.go                  a cycle, its statuses, dates and reminder days
//	service.go                Service; creating cycles, leaders and raters; saving answers
//	survey.go                 opening a cycle: invitations and the email jobs
//	survey_steps.go           the survey's screens, one per skill
//	survey_token.go           survey links: minting, hashing and sealing tokens
//	cycle_roster.go           the leaders and raters of a draft cycle
//	cycle_admin.go            creating and editing a cycle with its settings; the cycles list
//	cycle_admin_import*.go    the rater CSV import: reading the file (_csv), checking it, saving all or nothing
//	cycle_actions.go          reminding, extending, closing early, deleting a draft
//	cycle_copy.go             copying a cycle: same settings, leaders and raters, new dates
//	cycle_progress.go         response counts per group, never who answered
//	nominations*.go           leaders proposing their raters, HR approving them
//	nomination_invite.go      asking a draft cycle's leaders to nominate, each once
//	instrument.go             questionnaires (instruments/*.yaml) and their skills
//	response.go               a rater's answers and their validation
//	relationship.go           self, manager, peer, direct report, other
//	vocabulary.go             every word a user reads for groups, scales, roles
//	score.go                  scoring a cycle into a stored snapshot (package scoring does the math)
//	results.go                releasing results, the reports behind them, the audit log
//	results_mail.go           the email to each leader when results are released
//	operator.go               audit entries of an operator without an account (the command line)
//	results_table.go          the results index of a cycle
//	report.go                 what a leader's report holds (package reports draws it)
//	report_batch.go           rendering a cycle's reports in the background
//	comments_disclosure.go    which open comments a leader may read
//	exclusions.go             excluding a rater's answers, and what that changes
//	org_view.go               the organisation heatmap across leaders
//	org_groups.go             grouping and filtering it by department and manager
//	home.go                   the dashboard home of an admin and of a leader
//	leader_cycles.go          a leader's own cycles, report and completion
//	action_plan.go            a leader's action plan for their focus skill
//	accounts.go               dashboard accounts: admins, leaders, passwords
//	account_admins.go         an organisation's admins: inviting and removing one
//	account_signin.go         signing in and password resets
//	account_mail.go           account emails: invitations, resets, "your cycle opened"
//	people.go, address.go     organisations, people, where they sit, their email addresses
//	org_contact.go            the organisation's contact every email names and replies to
//	demo.go                   the demo organisation
//	errors.go                 the coded Error every layer answers with
//	store.go, *_store.go      the Store interface, split by the use cases it serves
package assessment
