@echo off
rem medharden: collect a snapshot of this device and hand it to the share that
rem "medharden fleet SHARE\snapshots" reads. For an SCCM/MECM task sequence
rem "Run Command Line" step, a package program or a GPO startup script, on
rem Windows XP SP3 and 7 SP1; built-in tools only. Runs as SYSTEM (or an
rem administrator): the computer account must be able to create folders in
rem SHARE\incoming and SHARE\snapshots.
rem
rem   collect-to-share.cmd \\server\medharden$
rem
rem medharden-collect.cmd (the release's collector) must be in this script's
rem folder. The snapshot is written to a new folder under %TEMP%, copied to
rem SHARE\incoming\HOST-yyyymmdd-hhmmss and only then renamed into
rem SHARE\snapshots (a rename on one share), so fleet never reads a
rem half-copied folder. The local copy is removed.
rem Exit codes: 0 done, 2 usage or share problem, 3 the copy to the share
rem failed, any other: the collector's own (5 not run as an administrator).
setlocal EnableExtensions DisableDelayedExpansion
if "%~1"=="" goto :usage
if "%~1"=="/?" goto :usage
if /i "%~1"=="-h" goto :usage
set "MH_SHARE=%~1"
if "%MH_SHARE:~-1%"=="\" set "MH_SHARE=%MH_SHARE:~0,-1%"
set "MH_COLLECT=%~dp0medharden-collect.cmd"
if not exist "%MH_COLLECT%" goto :nocollector
if not exist "%MH_SHARE%\incoming\" goto :noshare
if not exist "%MH_SHARE%\snapshots\" goto :noshare

set "MH_TMPBASE=%SystemRoot%\Temp"
if defined TEMP set "MH_TMPBASE=%TEMP%"
set "MH_WORK=%MH_TMPBASE%\medharden-share-%RANDOM%%RANDOM%"
if exist "%MH_WORK%" rd /s /q "%MH_WORK%"
md "%MH_WORK%" >nul 2>&1
if not exist "%MH_WORK%\" goto :noshare_work

rem A child cmd: the collector's variables and folder changes stay there,
rem and its exit code comes back as it set it.
cmd /d /c ""%MH_COLLECT%" "%MH_WORK%""
set "MH_RC=%ERRORLEVEL%"
if not "%MH_RC%"=="0" goto :collectfailed

rem The collector wrote one folder, HOST-yyyymmdd-hhmmss.
set "MH_NAME="
for /f "delims=" %%D in ('dir /b /ad "%MH_WORK%"') do set "MH_NAME=%%D"
if not defined MH_NAME goto :nosnapshot

xcopy "%MH_WORK%\%MH_NAME%" "%MH_SHARE%\incoming\%MH_NAME%\" /e /i /q /h /r /y >nul
if errorlevel 1 goto :copyfailed
move "%MH_SHARE%\incoming\%MH_NAME%" "%MH_SHARE%\snapshots\%MH_NAME%" >nul
if errorlevel 1 goto :copyfailed
rd /s /q "%MH_WORK%"
rem Names are printed through a for variable: a host name such as ICU(2)&x
rem is shown, never run.
for %%F in ("%MH_SHARE%\snapshots\%MH_NAME%") do echo collect-to-share: %%~F
exit /b 0

:usage
echo Usage: collect-to-share.cmd SHARE
echo   Runs medharden-collect.cmd (beside this script) and moves the snapshot
echo   into SHARE\snapshots through SHARE\incoming (both must exist).
exit /b 2

:nocollector
echo collect-to-share: medharden-collect.cmd is not beside this script 1>&2
exit /b 2

:noshare
for %%F in ("%MH_SHARE%") do echo collect-to-share: %%~F\incoming and %%~F\snapshots must exist and be writable 1>&2
exit /b 2

:noshare_work
echo collect-to-share: cannot create a work folder under the temp folder 1>&2
exit /b 2

:collectfailed
rd /s /q "%MH_WORK%"
echo collect-to-share: the collector failed with exit code %MH_RC%; nothing was copied 1>&2
exit /b %MH_RC%

:nosnapshot
rd /s /q "%MH_WORK%"
echo collect-to-share: the collector wrote no snapshot folder; nothing was copied 1>&2
exit /b 3

:copyfailed
rd /s /q "%MH_WORK%"
for %%F in ("%MH_SHARE%\incoming\%MH_NAME%") do echo collect-to-share: copying to the share failed; %%~F may be left half-copied and is never read by fleet 1>&2
exit /b 3
