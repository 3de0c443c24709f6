; The Windows installer of QR Jump Admin, built by scripts/package.sh with
; Debian's makensis. A 64-bit installer (the app is 64-bit only):
;   qrjump-admin.exe and qrjump.exe under Program Files, a Start-menu
;   shortcut, an entry in Apps & features, and an uninstaller that removes
;   them and leaves the admin's history and settings (in %APPDATA%) alone.
; /S installs silently, for IT departments; "uninstall.exe /S" removes it
; silently. The app needs Microsoft's WebView2 runtime: where it is missing,
; Microsoft's Evergreen bootstrapper is downloaded and run (Windows 11 and
; current Windows 10 have the runtime already).
;
; Defined on makensis's command line: VERSION, SRCDIR (the two .exe files
; and WebView2Loader.dll),
; ICON (.ico) and OUTFILE.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define APPNAME "QR Jump Admin"
!define COMPANY "QR Jump Admin"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\QRJumpAdmin"
; The WebView2 runtime's client id in EdgeUpdate (Microsoft's documentation).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${COMPANY}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "$(welcomeText)"
!define MUI_FINISHPAGE_RUN "$INSTDIR\qrjump-admin.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString welcomeText ${LANG_SIMPCHINESE} "将安装 ${APPNAME} ${VERSION}：删除微信小程序的二维码跳转规则，并保留完整的审计记录。$\r$\n$\r$\n本程序需要一个系统组件：Microsoft Edge WebView2 运行时。Windows 11 和较新的 Windows 10 已自带；如果这台电脑没有，安装程序会从微软网站下载并安装它（需要联网）。$\r$\n$\r$\n卸载时不会删除历史记录和设置（位于 %APPDATA%\com.qrjump.admin）。"
LangString welcomeText ${LANG_ENGLISH} "This installs ${APPNAME} ${VERSION}: it deletes WeChat Mini Programs' QR code jump rules and keeps a full audit history.$\r$\n$\r$\nThe app needs Microsoft Edge WebView2 Runtime, which Windows 11 and current Windows 10 already have. Where it is missing, this installer downloads it from Microsoft and installs it (this needs the internet).$\r$\n$\r$\nUninstalling leaves the history and settings (in %APPDATA%\com.qrjump.admin) in place."
LangString webview2Present ${LANG_SIMPCHINESE} "已有 WebView2 运行时（版本 $0）。"
LangString webview2Present ${LANG_ENGLISH} "WebView2 Runtime is present (version $0)."
LangString webview2Downloading ${LANG_SIMPCHINESE} "没有 WebView2 运行时：正在从微软下载安装程序…"
LangString webview2Downloading ${LANG_ENGLISH} "WebView2 Runtime is missing: downloading Microsoft's installer…"
LangString webview2Failed ${LANG_SIMPCHINESE} "未能安装 WebView2 运行时。请从 https://developer.microsoft.com/microsoft-edge/webview2/ 下载“常青版引导程序”并运行，然后再打开 ${APPNAME}。"
LangString webview2Failed ${LANG_ENGLISH} "WebView2 Runtime could not be installed. Download the Evergreen Bootstrapper from https://developer.microsoft.com/microsoft-edge/webview2/ and run it, then open ${APPNAME}."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; Installed for every user of the PC: the shortcut in all users' Start menu.
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; $0: the runtime's version, empty when it is not installed.
Function WebView2Version
  SetRegView 32
  ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  SetRegView 64
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
FunctionEnd

Function EnsureWebView2
  Call WebView2Version
  ${If} $0 != ""
    DetailPrint "$(webview2Present)"
    Return
  ${EndIf}
  DetailPrint "$(webview2Downloading)"
  Delete "$TEMP\MicrosoftEdgeWebview2Setup.exe"
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; Invoke-WebRequest -UseBasicParsing -Uri ''${WEBVIEW2_BOOTSTRAPPER}'' -OutFile ''$TEMP\MicrosoftEdgeWebview2Setup.exe''"'
  Pop $1
  ${If} ${FileExists} "$TEMP\MicrosoftEdgeWebview2Setup.exe"
    ExecWait '"$TEMP\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
    Delete "$TEMP\MicrosoftEdgeWebview2Setup.exe"
  ${EndIf}
  Call WebView2Version
  ${If} $0 == ""
    ; Not fatal: the command line works without it, and the app says what
    ; to install when it starts.
    DetailPrint "$(webview2Failed)"
    MessageBox MB_ICONEXCLAMATION "$(webview2Failed)" /SD IDOK
  ${EndIf}
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  File "${SRCDIR}/qrjump-admin.exe"
  File "${SRCDIR}/qrjump.exe"
  ; Loads the WebView2 runtime; the mingw build links it as a DLL.
  File "${SRCDIR}/WebView2Loader.dll"
  ; How this copy is updated: by this installer again (src-tauri/src/update/install.rs).
  FileOpen $0 "$INSTDIR\installed-by.txt" w
  FileWrite $0 "nsis"
  FileClose $0
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\qrjump-admin.exe"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${COMPANY}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\qrjump-admin.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

  Call EnsureWebView2
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\qrjump-admin.exe"
  Delete "$INSTDIR\qrjump.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\installed-by.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; The history and settings in %APPDATA%\com.qrjump.admin stay: they are
  ; the admin's audit trail, not the program's.
SectionEnd
