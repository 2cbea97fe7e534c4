module github.com/gokeepalived/gokeepalived

go 1.26
