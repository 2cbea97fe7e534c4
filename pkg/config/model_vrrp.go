package config

// VRRP side of the model. (Owned by the VRRP keyword work.)

type VRRPScript struct {
	Name string `json:"name"`
}

type TrackFile struct {
	Name string `json:"name"`
}

type TrackProcess struct {
	Name string `json:"name"`
}

type SyncGroup struct {
	Name string `json:"name"`
}

type VRRPInstance struct {
	Name string `json:"name"`
}

type GARPGroup struct{}

type InterfaceUpDown struct{}

type BFDInstance struct {
	Name string `json:"name"`
}
