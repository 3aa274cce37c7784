package gui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// iconPath is the app icon, embedded by package main and named in
// FyneApp.toml.
var iconPath = filepath.Join("..", "Icon.png")

// TestIcon checks the committed icon; MEDHARDEN_ICON=1 draws it again.
func TestIcon(t *testing.T) {
	if os.Getenv("MEDHARDEN_ICON") == "1" {
		var buf bytes.Buffer
		require.NoError(t, png.Encode(&buf, drawIcon(512)))
		require.NoError(t, os.WriteFile(iconPath, buf.Bytes(), 0o644))
	}
	f, err := os.Open(iconPath)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 512, 512), img.Bounds())
	_, _, _, a := img.At(2, 2).RGBA()
	require.Zero(t, a, "corners are transparent")
	_, _, _, a = img.At(256, 200).RGBA()
	require.NotZero(t, a, "the shield is opaque")
}

// drawIcon draws a blue shield with a white ECG trace, 4x4 supersampled.
func drawIcon(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	ecg := [][2]float64{{0.17, 0.53}, {0.35, 0.53}, {0.41, 0.43}, {0.47, 0.68}, {0.54, 0.27}, {0.60, 0.58}, {0.64, 0.53}, {0.83, 0.53}}
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					c, ok := iconSample(x, y, ecg)
					if ok {
						r += c[0]
						g += c[1]
						b += c[2]
						a++
					}
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(r / a * 255), G: uint8(g / a * 255), B: uint8(b / a * 255), A: uint8(a / (ss * ss) * 255),
			})
		}
	}
	return img
}

func iconSample(x, y float64, ecg [][2]float64) ([3]float64, bool) {
	if !inShield(x, y, 1) {
		return [3]float64{}, false
	}
	if !inShield(x, y, 0.9) {
		return [3]float64{0.85, 0.92, 1}, true // rim
	}
	for i := 1; i < len(ecg); i++ {
		if segDist(x, y, ecg[i-1], ecg[i]) < 0.026 {
			return [3]float64{1, 1, 1}, true
		}
	}
	// Gradient from a clear blue at the top to a deep blue at the tip.
	t := (y - 0.08) / 0.84
	top, bot := [3]float64{0.16, 0.50, 0.90}, [3]float64{0.04, 0.22, 0.55}
	return [3]float64{top[0] + (bot[0]-top[0])*t, top[1] + (bot[1]-top[1])*t, top[2] + (bot[2]-top[2])*t}, true
}

// inShield tells whether (x, y) lies inside the shield scaled by k around
// its centre: a flat top with rounded corners, straight sides, then a curve
// to the point.
func inShield(x, y, k float64) bool {
	const cx, cy = 0.5, 0.5
	x = cx + (x-cx)/k
	y = cy + (y-cy)/k
	const top, mid, tip, half, corner = 0.08, 0.52, 0.94, 0.38, 0.07
	if y < top || y > tip {
		return false
	}
	dx := math.Abs(x - cx)
	if y < mid {
		if dx > half {
			return false
		}
		// Round the top corners.
		if y < top+corner && dx > half-corner {
			ddx, ddy := dx-(half-corner), y-(top+corner)
			return ddx*ddx+ddy*ddy <= corner*corner
		}
		return true
	}
	t := (y - mid) / (tip - mid)
	return dx <= half*(1-t)*(1+1.2*t)
}

func segDist(x, y float64, a, b [2]float64) float64 {
	vx, vy := b[0]-a[0], b[1]-a[1]
	wx, wy := x-a[0], y-a[1]
	t := (wx*vx + wy*vy) / (vx*vx + vy*vy)
	if t < 0 {
		t = 0
	} else if t > 1 {
		t = 1
	}
	dx, dy := x-(a[0]+t*vx), y-(a[1]+t*vy)
	return math.Sqrt(dx*dx + dy*dy)
}

// TestFyneAppMetadata keeps FyneApp.toml in step with the code.
func TestFyneAppMetadata(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "FyneApp.toml"))
	require.NoError(t, err)
	got := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			got[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	require.Equal(t, AppID, got["ID"])
	require.Equal(t, AppName, got["Name"])
	require.Regexp(t, `^\d+\.\d+\.\d+$`, got["Version"])
	require.FileExists(t, filepath.Join("..", "..", got["Icon"]))
}
