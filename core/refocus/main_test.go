package refocus

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// TestMain runs the tests a second time in a child process with
// QPGO_NO_FFTW=1, so the fixture checks cover both FFT backends of package
// fft (it reads the variable once per process). Benchmarks run once.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && os.Getenv("QPGO_NO_FFTW") == "" && flag.Lookup("test.bench").Value.String() == "" {
		fmt.Println("refocus: again with QPGO_NO_FFTW=1")
		cmd := exec.Command(os.Args[0], os.Args[1:]...)
		cmd.Env = append(os.Environ(), "QPGO_NO_FFTW=1")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Println("refocus: QPGO_NO_FFTW=1 run:", err)
			code = 1
		}
	}
	os.Exit(code)
}
