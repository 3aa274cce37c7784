@echo off
setlocal EnableExtensions DisableDelayedExpansion
set MH_COLLECTOR_VERSION=1.4.0
rem medharden offline collector: read-only snapshot of a Windows XP SP3 or 7 SP1 host.
rem Built-in tools only. Opens no network connection. See README.md.
rem Log format: "key=value" lines; one "rc=N cmd=COMMAND" line per command.

if "%~1"=="/?" goto :usage
if /i "%~1"=="-h" goto :usage
if /i "%~1"=="/h" goto :usage
if /i "%~1"=="-help" goto :usage
if /i "%~1"=="/help" goto :usage
if /i "%~1"=="--help" goto :usage

rem A 32-bit cmd on 64-bit Windows sees the WOW64 registry: re-run with the 64-bit cmd.
if defined MH_RELAUNCHED goto :native
if not defined PROCESSOR_ARCHITEW6432 goto :native
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto :native
set "MH_RELAUNCHED=1"
"%SystemRoot%\Sysnative\cmd.exe" /d /c ""%~f0" %*"
exit /b %ERRORLEVEL%
:native

rem resolve the script folder and the argument before pushd changes the current folder
set "MH_BASE=%~dp0"
if not "%~1"=="" set "MH_BASE=%~f1"
set "MH_FAILS=0"
set "MH_TEMPDIR=%SystemRoot%\Temp"
if defined TEMP set "MH_TEMPDIR=%TEMP%"
call :badpath MH_TEMPDIR
if not errorlevel 1 set "MH_TEMPDIR=%SystemRoot%\Temp"
if "%MH_TEMPDIR:~-1%"=="\" set "MH_TEMPDIR=%MH_TEMPDIR:~0,-1%"

call :isadmin
if "%MH_ADMIN%"=="1" goto :admin_ok
echo.
echo ERROR: medharden collector must run as an administrator (elevated).
echo   Windows 7:  right-click collect.cmd and choose "Run as administrator",
echo               or start it from an elevated command prompt.
echo   Windows XP: log on with an account of the Administrators group.
echo Nothing was collected.
exit /b 5
:admin_ok

rem wmic may drop TempWmicBatchFile.bat in the current folder: work from the temp folder
set "MH_TWB_PRE=0"
if exist "%MH_TEMPDIR%\TempWmicBatchFile.bat" set "MH_TWB_PRE=1"
pushd "%MH_TEMPDIR%"

rem Windows version: 5.x is XP / 2003 (no auditpol, no reg export /y, older WMI classes)
set "MH_VER="
set "MH_VERBR="
set "MH_OSVER="
set "MH_OSMAJOR=0"
for /f "delims=" %%a in ('ver') do set "MH_VER=%%a"
for /f "tokens=2 delims=[]" %%a in ('ver') do set "MH_VERBR=%%a"
for /f "tokens=2" %%a in ("%MH_VERBR%") do set "MH_OSVER=%%a"
for /f "tokens=1 delims=." %%a in ("%MH_OSVER%") do set "MH_OSMAJOR=%%a"
set "MH_LEGACY=0"
if "%MH_OSMAJOR%"=="5" set "MH_LEGACY=1"
ver | findstr /r /c:" 5\.[0-9]" >nul && set "MH_LEGACY=1"
set "MH_REGY= /y"
if "%MH_LEGACY%"=="1" set "MH_REGY="
set "MH_OS64=0"
if exist "%SystemRoot%\SysWOW64\" set "MH_OS64=1"

call :now
set "MH_START=%MH_NOW%"
set "MH_STAMP=%MH_STAMPNOW%"
set "MH_HOST=%COMPUTERNAME%"
if not defined MH_HOST for /f "delims=" %%a in ('hostname') do set "MH_HOST=%%a"

if "%MH_BASE:~-1%"=="\" set "MH_BASE=%MH_BASE:~0,-1%"
call :badpath MH_BASE
if errorlevel 1 goto :base_ok
echo ERROR: the output folder path must not contain any of these characters: ! ^& ^^ %%
popd
exit /b 2
:base_ok
set "MH_OUT=%MH_BASE%\%MH_HOST%-%MH_STAMP%"
if not exist "%MH_OUT%" goto :out_new
echo ERROR: %MH_OUT% already exists; run the collector again.
popd
exit /b 2
:out_new
mkdir "%MH_OUT%\reg" >nul 2>&1
mkdir "%MH_OUT%\wmic" >nul 2>&1
if exist "%MH_OUT%\wmic\" goto :out_ok
echo ERROR: cannot create %MH_OUT%
popd
exit /b 2
:out_ok

set "MH_LOG=%MH_OUT%\collect.log"
set "MH_ERRF=%MH_TEMPDIR%\mh-err-%MH_STAMP%-%RANDOM%.txt"
>"%MH_LOG%" echo medharden collector %MH_COLLECTOR_VERSION%
echo medharden collector %MH_COLLECTOR_VERSION%
echo output: %MH_OUT%
set "MH_MSG=start=%MH_START%"
call :logmsg
set "MH_MSG=os=%MH_VER%"
call :logmsg
set "MH_MSG=osversion=%MH_OSVER%"
call :logmsg
set "MH_MSG=arch=%PROCESSOR_ARCHITECTURE% os64=%MH_OS64% legacy=%MH_LEGACY% relaunched64=%MH_RELAUNCHED%"
call :logmsg
set "MH_MSG=host=%MH_HOST%"
call :logmsg
set "MH_MSG=user=%USERDOMAIN%\%USERNAME%"
call :logmsg
rem The guards of remediation need the collecting user's SID and whether the
rem session is Remote Desktop; whoami exists on 7 (not on a plain XP).
set "MH_SID="
for /f "tokens=2 delims=," %%s in ('whoami /user /fo csv /nh 2^>nul') do set "MH_SID=%%~s"
set "MH_MSG=usersid=%MH_SID%"
call :logmsg
set "MH_MSG=session=%SESSIONNAME%"
call :logmsg
set "MH_MSG=out=%MH_OUT%"
call :logmsg
set "MH_MSG=note=reg\hkcu-policies.reg and reg\hkcu-desktop.reg hold the per-user policy of the collecting user (%USERDOMAIN%\%USERNAME%) only"
call :logmsg
if not defined PROCESSOR_ARCHITEW6432 goto :view_ok
set "MH_MSG=warning=32-bit process on 64-bit Windows without Sysnative: HKLM\SOFTWARE exports show the 32-bit view"
call :logmsg
:view_ok

echo [1/4] security policy
set "MH_CMD=secedit /export /cfg "%MH_OUT%\secedit.inf" /areas SECURITYPOLICY USER_RIGHTS /log "%MH_OUT%\secedit.log""
call :run
if "%MH_LEGACY%"=="1" goto :auditpol_skip
if exist "%SystemRoot%\System32\auditpol.exe" goto :auditpol
:auditpol_skip
set "MH_MSG=rc=skipped cmd=auditpol (not present on this Windows)"
call :logmsg
goto :auditpol_done
:auditpol
set "MH_CMD=auditpol /backup /file:"%MH_OUT%\auditpol.csv""
call :run
:auditpol_done

echo [2/4] registry
call :export_reg policies "HKLM\SOFTWARE\Policies"
call :export_reg policies-cv "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies"
call :export_reg_redacted winlogon "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon" DefaultPassword
call :export_reg lsa "HKLM\SYSTEM\CurrentControlSet\Control\Lsa"
call :export_reg session-manager "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager"
call :export_reg securepipeservers "HKLM\SYSTEM\CurrentControlSet\Control\SecurePipeServers"
call :export_reg securityproviders "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders"
call :export_reg print-servers "HKLM\SYSTEM\CurrentControlSet\Control\Print\Providers\LanMan Print Services\Servers"
call :export_reg_redacted terminal-server "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server" Password
call :export_reg lanmanserver "HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters"
call :export_reg lanmanworkstation "HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation"
call :export_reg netlogon "HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\Parameters"
call :export_reg tcpip "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"
call :export_reg tcpip6 "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
call :export_reg netbt "HKLM\SYSTEM\CurrentControlSet\Services\NetBT\Parameters"
call :export_reg ldap "HKLM\SYSTEM\CurrentControlSet\Services\LDAP"
call :export_reg rasman "HKLM\SYSTEM\CurrentControlSet\Services\RasMan\Parameters"
call :export_reg eventlog-security "HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Security"
call :export_reg firewall "HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy"
call :export_reg mrxsmb10 "HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10"
call :export_reg eventlog-application "HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Application"
call :export_reg eventlog-system "HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\System"
call :export_reg w32time "HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters"
call :export_reg control-windows "HKLM\SYSTEM\CurrentControlSet\Control\Windows"
call :export_reg system-policies "HKLM\SYSTEM\CurrentControlSet\Policies"
call :export_reg recoveryconsole "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole"
call :export_reg autorun-inf "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\IniFileMapping\Autorun.inf"
call :export_reg uninstall "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
call :export_reg profilelist "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
if "%MH_OS64%"=="1" goto :wow64
set "MH_MSG=rc=skipped cmd=reg export "HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall" (32-bit Windows)"
call :logmsg
goto :wow64_done
:wow64
call :export_reg uninstall-wow64 "HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
:wow64_done
call :export_reg hkcu-policies "HKCU\Software\Policies"
call :export_reg hkcu-desktop "HKCU\Control Panel\Desktop"
call :export_reg hkcu-policies-cv "HKCU\Software\Microsoft\Windows\CurrentVersion\Policies"
call :userhives

echo [3/4] wmi
call :wmic_format
set "MH_Q=os get Caption,CSDVersion,Version,BuildNumber,OSArchitecture,OperatingSystemSKU,OSLanguage,InstallDate,LastBootUpTime,CSName"
if "%MH_LEGACY%"=="1" set "MH_Q=os get Caption,CSDVersion,Version,BuildNumber,OSLanguage,InstallDate,LastBootUpTime,CSName"
call :query_wmic os
set "MH_Q=computersystem get Name,Domain,PartOfDomain,Workgroup,Manufacturer,Model,SystemType,UserName"
call :query_wmic computersystem
set "MH_Q=bios get SerialNumber,Manufacturer,SMBIOSBIOSVersion,ReleaseDate"
call :query_wmic bios
set "MH_Q=qfe get HotFixID,InstalledOn,Description"
call :query_wmic qfe
set "MH_Q=nicconfig where "IPEnabled=TRUE" get Description,MACAddress,IPAddress,DHCPEnabled,DefaultIPGateway"
call :query_wmic nicconfig
set "MH_Q=useraccount where "LocalAccount=TRUE" get Name,SID,Disabled,PasswordRequired,PasswordExpires,Lockout,Status"
call :query_wmic useraccount
if exist "%MH_OUT%\wmic\useraccount.csv" goto :accounts_done
set "MH_Q=useraccount where "Domain='%MH_HOST%'" get Name,SID,Disabled,PasswordRequired,PasswordExpires,Lockout,Status"
call :query_wmic useraccount
:accounts_done
rem No PathName: wmic does not quote fields, and a comma in one path would shift every column.
set "MH_Q=service get Name,StartMode,State,StartName"
call :query_wmic service
rem Local groups and members for the device model. Group names are localized,
rem so groups are named by SID (Win32_Group) and members by Domain and Name,
rem which Win32_UserAccount, Win32_Group and Win32_SystemAccount map to SIDs.
set "MH_Q=group where "LocalAccount=TRUE" get Domain,Name,SID"
call :query_wmic group
set "MH_Q=sysaccount get Domain,Name,SID"
call :query_wmic sysaccount
set "MH_Q=path Win32_GroupUser get GroupComponent,PartComponent"
call :query_wmic groupuser
rem Scheduled tasks with their run-as accounts (schtasks exists on XP SP3 and 7).
set "MH_CMD=schtasks /query /v /fo csv"
%MH_CMD% <nul >"%MH_OUT%\schtasks.csv" 2>"%MH_ERRF%"
set "MH_RC=%ERRORLEVEL%"
set "MH_CMDLOG=%MH_CMD% >"%MH_OUT%\schtasks.csv""
call :logcmd
if "%MH_RC%"=="0" goto :tasks_done
set /a MH_FAILS+=1
del /f /q "%MH_OUT%\schtasks.csv" >nul 2>&1
set "MH_MSG=note=schtasks.csv removed (schtasks failed)"
call :logmsg
:tasks_done
if "%MH_LEGACY%"=="1" goto :bde_skip
set "MH_Q=/namespace:\\root\cimv2\security\microsoftvolumeencryption path Win32_EncryptableVolume get DriveLetter,ProtectionStatus"
call :query_wmic encryptablevolume optional
goto :bde_done
:bde_skip
set "MH_MSG=rc=skipped cmd=wmic Win32_EncryptableVolume (not present on this Windows)"
call :logmsg
:bde_done

echo [4/4] finishing
del /f /q "%MH_ERRF%" >nul 2>&1
if "%MH_TWB_PRE%"=="0" del /f /q "%MH_TEMPDIR%\TempWmicBatchFile.bat" >nul 2>&1
call :now
set "MH_MSG=end=%MH_NOW%"
call :logmsg
set "MH_MSG=failed=%MH_FAILS%"
call :logmsg
popd
echo.
if not "%MH_FAILS%"=="0" echo %MH_FAILS% command(s) reported an error, see collect.log (some keys do not exist on every Windows).
echo %MH_OUT%
echo done
exit /b 0


rem ---------------------------------------------------------------- subroutines

:usage
echo medharden collector %MH_COLLECTOR_VERSION% - offline snapshot for Windows XP SP3 and Windows 7 SP1
echo.
echo Usage: %~nx0 [outdir]
echo.
echo   outdir  folder that receives HOST-yyyymmdd-hhmmss (default: the folder of this script)
echo   -h      show this text
echo.
echo Run as administrator. Uses only tools built into Windows (reg, secedit, auditpol,
echo wmic) and opens no network connection. Writes collect.log, secedit.inf,
echo auditpol.csv (Windows 7), schtasks.csv, reg\*.reg and wmic\*.csv. Per-user settings: it
echo loads the NTUSER.DAT of each profile not in use, reads it and unloads it at once. The auto-logon password
echo (Winlogon DefaultPassword) never leaves the host in clear text.
echo Exit codes: 0 done, 2 output folder problem, 5 not running as administrator.
exit /b 0

:export_reg
rem args: file name, key
set "MH_TARGET=%MH_OUT%\reg\%~1.reg"
if exist "%MH_TARGET%" del /f /q "%MH_TARGET%" >nul 2>&1
set "MH_CMD=reg export "%~2" "%MH_TARGET%"%MH_REGY%"
call :run
if not "%MH_RC%"=="0" call :absent "%~2"
goto :eof

:export_reg_redacted
rem args: file name, key, name of a value that may hold a clear-text password.
rem Export to the temp folder; only a copy without that value's data reaches the output.
set "MH_TARGET=%MH_OUT%\reg\%~1.reg"
set "MH_SECRET=%~3"
set "MH_TMP=%MH_TEMPDIR%\mh-%~1-%MH_STAMP%-%RANDOM%.reg"
set "MH_FILT=%MH_TMP%.txt"
set "MH_FOOT=%MH_TMP%.red"
del /f /q "%MH_TMP%" "%MH_FILT%" "%MH_FOOT%" >nul 2>&1
set "MH_CMD=reg export "%~2" "%MH_TMP%"%MH_REGY%"
call :run
if not "%MH_RC%"=="0" call :absent "%~2"
if not exist "%MH_TMP%" goto :eof
call :secretscan "%MH_TMP%"
if "%MH_FOUND%"=="1" goto :redact
set "MH_CMD=copy /b /y "%MH_TMP%" "%MH_TARGET%""
call :run
goto :redact_check
:redact
call :filter
set "MH_CMD=copy /b /y "%MH_FILT%"+"%MH_FOOT%" "%MH_TARGET%""
call :run
set "MH_MSG=redacted=reg\%~1.reg value=%MH_SECRET% count=%MH_REDN%"
call :logmsg
:redact_check
rem last guard: a file that still shows the value's data is removed
call :secretscan "%MH_TARGET%"
if "%MH_FOUND%"=="0" goto :redact_clean
del /f /q "%MH_TARGET%" >nul 2>&1
set /a MH_FAILS+=1
set "MH_MSG=error=reg\%~1.reg removed: the data of %MH_SECRET% could not be redacted"
call :logmsg
:redact_clean
del /f /q "%MH_TMP%" "%MH_FILT%" "%MH_FOOT%" >nul 2>&1
if not exist "%MH_TMP%" goto :eof
set "MH_MSG=warning=could not delete the temporary export %MH_TMP%"
call :logmsg
goto :eof

:userhives
rem Per-user settings: the user-scope keys of every profile in ProfileList (S-1-5-21-*),
rem written to reg\user-SID-policies.reg, -desktop.reg and -policies-cv.reg. A hive that
rem is loaded (its person is logged on, or a service runs as them) is exported from
rem HKU\SID. A hive a running medharden loaded (HKU\medharden-live-SID) is exported from
rem there and left loaded: that run holds it and unloads it. Any other is loaded from its
rem NTUSER.DAT under HKU\medharden-collect-SID, exported and unloaded at once, so the file
rem is free again when its person logs on. Only this script uses that name: a hive an
rem interrupted run left loaded (Ctrl+C between load and unload) is unloaded here first;
rem medharden's own hives are never touched. collect.log gets userhive=SID loaded, live,
rem file or failed.
set "MH_PROFILES=HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
for /f "delims=" %%k in ('reg query HKU 2^>nul') do call :hive_leftover "%%~nxk"
for /f "delims=" %%k in ('reg query "%MH_PROFILES%" 2^>nul') do call :userhive "%%~nxk"
goto :eof

:hive_leftover
rem arg: the last part of a key line of reg query HKU (values and banners do not match)
set "MH_L=%~1"
if /i not "%MH_L:~0,20%"=="medharden-collect-S-" goto :eof
call :hive_unload "HKU\%MH_L%"
goto :eof

:userhive
rem arg: the last part of a key line of reg query ProfileList: a SID of a local or
rem domain account (S-1-5-21-...), not a .bak copy Windows keeps of a damaged profile
set "MH_USID=%~1"
if /i not "%MH_USID:~0,9%"=="S-1-5-21-" goto :eof
if not "%MH_USID:.=%"=="%MH_USID%" goto :eof
reg query "HKU\%MH_USID%" <nul >nul 2>&1
if errorlevel 1 goto :userhive_notloaded
call :userhive_export "HKU\%MH_USID%"
set "MH_MSG=userhive=%MH_USID% loaded"
call :logmsg
goto :eof
:userhive_notloaded
rem loaded by a running medharden: read where it is (a second load of the same file
rem fails), never unloaded here. If that run unloads it during the exports, they are
rem incomplete: removed, and the hive is logged as failed.
reg query "HKU\medharden-live-%MH_USID%" <nul >nul 2>&1
if errorlevel 1 goto :userhive_file
call :userhive_export "HKU\medharden-live-%MH_USID%"
reg query "HKU\medharden-live-%MH_USID%" <nul >nul 2>&1
if errorlevel 1 goto :userhive_gone
set "MH_MSG=userhive=%MH_USID% live"
call :logmsg
goto :eof
:userhive_gone
del /f /q "%MH_OUT%\reg\user-%MH_USID%-*.reg" >nul 2>&1
set "MH_UWHY=medharden unloaded the hive during the export"
goto :userhive_failed
:userhive_file
rem ProfileImagePath is REG_EXPAND_SZ (SystemDrive variable in it): a child cmd expands it
set "MH_UPATH="
set "MH_UWHY=no ProfileImagePath"
for /f "tokens=1,2,*" %%a in ('reg query "%MH_PROFILES%\%MH_USID%" /v ProfileImagePath 2^>nul') do if /i "%%a"=="ProfileImagePath" set "MH_UPATH=%%c"
if not defined MH_UPATH goto :userhive_failed
set "MH_UWHY=the profile path has a character cmd cannot quote"
set "MH_T=%MH_UPATH:&=%"
set "MH_T=%MH_T:^=%"
if not "%MH_T%"=="%MH_UPATH%" goto :userhive_failed
for /f "delims=" %%p in ('echo "%MH_UPATH%"') do set "MH_UPATH=%%~p"
call :badpath MH_UPATH
if not errorlevel 1 goto :userhive_failed
set "MH_UWHY=no NTUSER.DAT in the profile folder"
if not exist "%MH_UPATH%\NTUSER.DAT" goto :userhive_failed
set "MH_UWHY=the hive could not be loaded"
set "MH_UHIVE=HKU\medharden-collect-%MH_USID%"
set "MH_CMD=reg load "%MH_UHIVE%" "%MH_UPATH%\NTUSER.DAT""
call :run
if not "%MH_RC%"=="0" goto :userhive_failed
call :userhive_export "%MH_UHIVE%"
call :hive_unload "%MH_UHIVE%"
set "MH_MSG=userhive=%MH_USID% file"
call :logmsg
goto :eof
:userhive_failed
set "MH_MSG=userhive=%MH_USID% failed (%MH_UWHY%)"
call :logmsg
goto :eof

:userhive_export
rem arg: the root of a person's hive (HKU\SID, HKU\medharden-live-SID or HKU\medharden-collect-SID)
call :export_reg user-%MH_USID%-policies "%~1\Software\Policies"
call :export_reg user-%MH_USID%-desktop "%~1\Control Panel\Desktop"
call :export_reg user-%MH_USID%-policies-cv "%~1\Software\Microsoft\Windows\CurrentVersion\Policies"
goto :eof

:hive_unload
rem arg: a hive this script loaded (HKU\medharden-collect-SID, or HKEY_USERS\medharden-collect-SID)
set "MH_CMD=reg unload "%~1""
call :run
if "%MH_RC%"=="0" goto :eof
set "MH_MSG=warning=%~1 is still loaded; the next collector run unloads it"
call :logmsg
goto :eof

:absent
rem arg: a key whose export failed. reg.exe returns 1 for every failure (no such
rem key, no access, cannot write the file) and its messages are localized, so the
rem log says "absent=KEY" only on language-independent evidence: the parent key
rem lists (exit code 0), every key line of the listing is the parent or starts
rem with the parent's path (the format is understood) and none is the key's path;
rem or the parent is itself absent. Otherwise the reader takes the key's values
rem as not collected.
call :keyabsent "%~1"
if not "%MH_ABSENT%"=="1" goto :eof
set "MH_MSG=absent=%~1"
call :logmsg
goto :eof

:keyabsent
rem arg: key (HKLM\... or HKCU\...). MH_ABSENT=1 when proven absent, see :absent
setlocal DisableDelayedExpansion
set "MH_ABSENT=0"
set "MH_KP="
set "MH_KL="
set "MH_KA=%~1"
for %%a in ("%MH_KA:\=" "%") do call :keysplit "%%~a"
if not defined MH_KP goto :keyabsent_end
set "MH_KLP=%MH_KP%"
set "MH_KLP=%MH_KLP:HKLM\=HKEY_LOCAL_MACHINE\%"
set "MH_KLP=%MH_KLP:HKCU\=HKEY_CURRENT_USER\%"
set "MH_KLP=%MH_KLP:HKU\=HKEY_USERS\%"
reg query "%MH_KP%" <nul >nul 2>"%MH_ERRF%"
set "MH_RC=%ERRORLEVEL%"
set "MH_CMDLOG=reg query "%MH_KP%" (does it list %MH_KL%?)"
call :logcmd
if "%MH_RC%"=="0" goto :keyabsent_list
call :keyabsent "%MH_KP%"
goto :keyabsent_end
:keyabsent_list
set "MH_KOK=1"
set "MH_KF=0"
for /f "delims=" %%L in ('reg query "%MH_KP%" 2^>nul') do call :keyline "%%L"
if "%MH_KOK%%MH_KF%"=="10" set "MH_ABSENT=1"
:keyabsent_end
endlocal & set "MH_ABSENT=%MH_ABSENT%"
goto :eof

:keyline
rem one line of "reg query PARENT": values are indented, "! REG.EXE" is XP's banner
set "MH_KLN=%~1"
if "%MH_KLN:~0,1%"==" " goto :eof
if "%MH_KLN:~0,1%"=="!" goto :eof
if /i "%MH_KLN%"=="%MH_KLP%" goto :eof
if /i "%MH_KLN%"=="%MH_KLP%\%MH_KL%" set "MH_KF=1"
set "MH_KREST="
call set "MH_KREST=%%MH_KLN:*%MH_KLP%\=%%"
if /i not "%MH_KLP%\%MH_KREST%"=="%MH_KLN%" set "MH_KOK=0"
goto :eof

:keysplit
rem called for each part of a key path: MH_KP gets all but the last, MH_KL the last
if not defined MH_KL goto :keysplit_last
if defined MH_KP set "MH_KP=%MH_KP%\%MH_KL%"
if not defined MH_KP set "MH_KP=%MH_KL%"
:keysplit_last
set "MH_KL=%~1"
goto :eof

:secretscan
rem arg: file. MH_FOUND=1 when a line sets MH_SECRET to anything but "" or the marker
set "MH_FOUND=0"
if not exist "%~1" goto :eof
type "%~1" 2>nul | findstr /b /i /c:"\"%MH_SECRET%\"=" | findstr /v /b /i /c:"\"%MH_SECRET%\"=\"\"" | findstr /v /i /c:"redacted by medharden collector" >nul
if not errorlevel 1 set "MH_FOUND=1"
goto :eof

:filter
rem copy MH_TMP to MH_FILT without the MH_SECRET lines and their continuation lines;
rem MH_FOOT gets the key and the redaction marker for each value removed.
set "MH_SECPFX="%MH_SECRET%"="
set "MH_SECEMPTY="%MH_SECRET%"="""
set "MH_MARK=<redacted by medharden collector>"
call :strlen
set /a MH_SECLEN2=MH_SECLEN+2
set "MH_REDN=0"
set "MH_CONT=0"
set "MH_KEY="
type nul >"%MH_FILT%"
type nul >"%MH_FOOT%"
call :acp_on
for /f "delims=" %%L in ('type "%MH_TMP%" ^| findstr /n "^"') do (
  set "MH_L=%%L"
  call :filterline
)
call :acp_off
goto :eof

:filterline
setlocal EnableDelayedExpansion
set "L=!MH_L:*:=!"
set "cont=!MH_CONT!"
set "red=!MH_REDN!"
set "key=!MH_KEY!"
if not defined L set "cont=0"
if not defined L goto :fl_keep
if "!cont!"=="1" goto :fl_cont
if "!L:~0,1!"=="[" set "key=!L!"
if /i not "!L:~0,%MH_SECLEN%!"=="!MH_SECPFX!" goto :fl_keep
if /i "!L:~0,%MH_SECLEN2%!"=="!MH_SECEMPTY!" goto :fl_keep
set /a red+=1
>>"%MH_FOOT%" echo(
>>"%MH_FOOT%" echo(!key!
>>"%MH_FOOT%" echo(!MH_SECPFX!"!MH_MARK!"
if "!L:~-1!"=="\" set "cont=1"
goto :fl_end
:fl_cont
if not "!L:~-1!"=="\" set "cont=0"
goto :fl_end
:fl_keep
>>"%MH_FILT%" echo(!L!
:fl_end
endlocal & set "MH_CONT=%cont%" & set "MH_REDN=%red%" & set "MH_KEY=%key%"
goto :eof

:strlen
rem MH_SECLEN = length of "MH_SECRET"=
set "MH_SECLEN=0"
:strlen_loop
set "MH_C="
call set "MH_C=%%MH_SECRET:~%MH_SECLEN%,1%%"
if not defined MH_C goto :strlen_done
set /a MH_SECLEN+=1
goto :strlen_loop
:strlen_done
set /a MH_SECLEN+=3
goto :eof

:acp_on
rem type converts UTF-16 to the console code page: use the ANSI code page meanwhile
set "MH_OLDCP="
set "MH_ACP="
for /f "tokens=2 delims=:" %%a in ('chcp') do set "MH_OLDCP=%%a"
if defined MH_OLDCP set "MH_OLDCP=%MH_OLDCP: =%"
if defined MH_OLDCP set "MH_OLDCP=%MH_OLDCP:.=%"
for /f "tokens=3" %%a in ('reg query "HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage" /v ACP 2^>nul ^| findstr /i /c:"REG_SZ"') do set "MH_ACP=%%a"
if defined MH_ACP if defined MH_OLDCP chcp %MH_ACP% >nul 2>&1
goto :eof

:acp_off
if defined MH_ACP if defined MH_OLDCP chcp %MH_OLDCP% >nul 2>&1
goto :eof

:wmic_format
rem find a working csv style sheet once: "csv" fails when the locale folder is missing
set "MH_FMT="
set "MH_PROBE=%MH_TEMPDIR%\mh-probe-%MH_STAMP%-%RANDOM%.csv"
call :tryfmt csv
if exist "%SystemRoot%\System32\wbem\en-US\csv.xsl" call :tryfmt "%SystemRoot%\System32\wbem\en-US\csv.xsl"
for /d %%d in ("%SystemRoot%\System32\wbem\*-*") do if exist "%%~d\csv.xsl" call :tryfmt "%%~d\csv.xsl"
if exist "%SystemRoot%\System32\wbem\csv.xsl" call :tryfmt "%SystemRoot%\System32\wbem\csv.xsl"
del /f /q "%MH_PROBE%" >nul 2>&1
if defined MH_FMT goto :wmic_format_ok
set "MH_FMT=csv"
set "MH_MSG=warning=no wmic csv format passed the probe; using csv"
call :logmsg
:wmic_format_ok
set "MH_MSG=wmic_format=%MH_FMT%"
call :logmsg
goto :eof

:tryfmt
if defined MH_FMT goto :eof
set "MH_CMD=wmic os get Caption /format:%1"
%MH_CMD% <nul >"%MH_PROBE%" 2>"%MH_ERRF%"
set "MH_RC=%ERRORLEVEL%"
set "MH_CMDLOG=%MH_CMD% (format probe)"
call :logcmd
type "%MH_PROBE%" 2>nul | findstr /b /c:"Node," >nul
if not errorlevel 1 set "MH_FMT=%1"
goto :eof

:query_wmic
rem args: file name, optional flag (drop the file when it has no csv header); query in MH_Q
set "MH_FILE=%MH_OUT%\wmic\%~1.csv"
set "MH_CMD=wmic %MH_Q% /format:%MH_FMT%"
%MH_CMD% <nul >"%MH_FILE%" 2>"%MH_ERRF%"
set "MH_RC=%ERRORLEVEL%"
set "MH_CMDLOG=%MH_CMD% >"%MH_FILE%""
if not "%MH_RC%"=="0" set /a MH_FAILS+=1
call :logcmd
type "%MH_FILE%" 2>nul | findstr /b /c:"Node," >nul
if not errorlevel 1 goto :eof
if /i "%~2"=="optional" goto :wmic_drop
if not "%MH_RC%"=="0" goto :wmic_drop
set "MH_MSG=note=wmic\%~1.csv has no rows"
call :logmsg
goto :eof
:wmic_drop
del /f /q "%MH_FILE%" >nul 2>&1
set "MH_MSG=note=wmic\%~1.csv removed (no usable output)"
call :logmsg
goto :eof

:run
rem run MH_CMD (which writes its own files) and log its exit code
%MH_CMD% <nul >nul 2>"%MH_ERRF%"
set "MH_RC=%ERRORLEVEL%"
set "MH_CMDLOG=%MH_CMD%"
if not "%MH_RC%"=="0" set /a MH_FAILS+=1
call :logcmd
goto :eof

:logcmd
setlocal EnableDelayedExpansion
>>"%MH_LOG%" echo(rc=!MH_RC! cmd=!MH_CMDLOG!
endlocal
if "%MH_RC%"=="0" goto :eof
set "MH_E1="
set "MH_E2="
if not exist "%MH_ERRF%" goto :eof
for /f "usebackq delims=" %%e in (`type "%MH_ERRF%"`) do if not defined MH_E2 if defined MH_E1 (set "MH_E2=%%e") else set "MH_E1=%%e"
if not defined MH_E1 goto :eof
setlocal EnableDelayedExpansion
>>"%MH_LOG%" echo(err=!MH_E1! !MH_E2!
endlocal
goto :eof

:logmsg
setlocal EnableDelayedExpansion
>>"%MH_LOG%" echo(!MH_MSG!
endlocal
goto :eof

:now
rem MH_NOW "yyyy-mm-dd hh:mm:ss" and MH_STAMPNOW "yyyymmdd-hhmmss" (local time)
set "MH_LDT="
for /f "tokens=2 delims==" %%a in ('wmic os get LocalDateTime /value ^<nul 2^>nul ^| findstr /b /i /c:"LocalDateTime="') do set "MH_LDT=%%a"
if not defined MH_LDT goto :now_fallback
set "MH_NOW=%MH_LDT:~0,4%-%MH_LDT:~4,2%-%MH_LDT:~6,2% %MH_LDT:~8,2%:%MH_LDT:~10,2%:%MH_LDT:~12,2%"
set "MH_STAMPNOW=%MH_LDT:~0,8%-%MH_LDT:~8,6%"
goto :eof
:now_fallback
rem no wmic: digits of DATE and TIME, in the order of the regional settings
set "MH_NOW=%DATE% %TIME%"
set "MH_D=%DATE:/=%"
set "MH_D=%MH_D:-=%"
set "MH_D=%MH_D:.=%"
set "MH_D=%MH_D: =%"
set "MH_T=%TIME: =0%"
set "MH_T=%MH_T::=%"
set "MH_STAMPNOW=%MH_D:~-8%-%MH_T:~0,6%"
goto :eof

:isadmin
rem fsutil needs administrator rights on XP and an elevated token on 7
set "MH_ADMIN=0"
if not exist "%SystemRoot%\System32\fsutil.exe" goto :isadmin_write
"%SystemRoot%\System32\fsutil.exe" dirty query %SystemDrive% >nul 2>&1
if not errorlevel 1 set "MH_ADMIN=1"
goto :eof
:isadmin_write
set "MH_PROBEF=%SystemRoot%\mh-admin-check-%RANDOM%.tmp"
(type nul >"%MH_PROBEF%") >nul 2>&1
if not exist "%MH_PROBEF%" goto :eof
del /f /q "%MH_PROBEF%" >nul 2>&1
set "MH_ADMIN=1"
goto :eof

:badpath
rem arg: variable name. errorlevel 0 when its value holds a character that breaks cmd quoting
set %1 2>nul | findstr /r /c:"[!&^%%]" >nul
goto :eof
