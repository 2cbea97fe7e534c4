package config

// GlobalDefs is the global_defs block. (Owned by the global_defs work.)
type GlobalDefs struct {
	RouterID string `json:"router_id,omitempty"`
}

// DefaultGlobalDefs returns keepalived's defaults for global_defs.
func DefaultGlobalDefs() GlobalDefs { return GlobalDefs{} }
