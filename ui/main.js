const { invoke } = window.__TAURI__.core;

document.getElementById('about-button').addEventListener('click', async () => {
  const info = await invoke('app_info');
  document.getElementById('about-version').textContent = info.version;
  document.getElementById('about-data-dir').textContent = info.dataDir;
  document.getElementById('about-api-base').textContent = info.apiBase;
  document.getElementById('about').hidden = false;
});

// Module scripts run once the document is parsed, so the page is ready to
// paint. (requestAnimationFrame would never fire: a hidden window gets no frames.)
invoke('ui_ready');
