// Package gui is medharden's Fyne desktop front end.
package gui
