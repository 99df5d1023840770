package assessment

// CycleAdminStore is the persistence of running cycles from the dashboard:
// editing, imports, progress and deadline changes (cycle_admin.go).
type CycleAdminStore interface{}
