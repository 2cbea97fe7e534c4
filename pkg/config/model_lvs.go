package config

// LVS side of the model. (Owned by the LVS keyword work.)

type VirtualServerGroup struct {
	Name string `json:"name"`
}

type VirtualServer struct{}
