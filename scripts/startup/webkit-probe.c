/* What WebKitGTK does for a bare web view, whatever the embedder asks: does
 * its web process load Mesa's GL driver (and with it libLLVM), and does the
 * page follow the desktop's settings (a dark GTK theme, GTK's text scale)?
 * Built and run by scripts/startup/webkit-probe.sh, which varies the
 * environment; the README's start-up section cites its answers.
 *
 * The view is made with the hardware-acceleration policy NEVER already set,
 * so that nothing the app sets later could explain a GL driver. */
#include <webkit2/webkit2.h>
#include <stdio.h>
#include <string.h>

/* Whether a child process of ours named WebKitWebProcess maps the driver. */
static const char *web_process_maps_driver(void) {
    GDir *proc = g_dir_open("/proc", 0, NULL);
    const char *answer = "no web process found";
    const char *name;
    while (proc && (name = g_dir_read_name(proc))) {
        char path[64], *stat = NULL, *maps = NULL;
        snprintf(path, sizeof path, "/proc/%s/stat", name);
        if (!g_file_get_contents(path, &stat, NULL, NULL)) continue;
        int ppid = 0;
        char *close = strrchr(stat, ')');
        if (close) sscanf(close + 2, "%*c %d", &ppid);
        if (ppid == getpid() && strstr(stat, "(WebKitWebProces")) {
            snprintf(path, sizeof path, "/proc/%s/maps", name);
            if (g_file_get_contents(path, &maps, NULL, NULL))
                answer = strstr(maps, "_dri.so") ? "yes" : "no";
            g_free(maps);
        }
        g_free(stat);
    }
    if (proc) g_dir_close(proc);
    return answer;
}

static void answered(GObject *view, GAsyncResult *result, gpointer data) {
    JSCValue *value = webkit_web_view_evaluate_javascript_finish(WEBKIT_WEB_VIEW(view), result, NULL);
    char *page = value ? jsc_value_to_string(value) : g_strdup("no answer");
    printf("%s; web process maps Mesa's driver: %s\n", page, web_process_maps_driver());
    g_free(page);
    gtk_main_quit();
}

static gboolean ask(gpointer view) {
    webkit_web_view_evaluate_javascript(WEBKIT_WEB_VIEW(view),
        "'page dark: ' + matchMedia('(prefers-color-scheme: dark)').matches"
        " + '; text width: ' + document.getElementById('t').getBoundingClientRect().width",
        -1, NULL, NULL, NULL, answered, NULL);
    return G_SOURCE_REMOVE;
}

int main(int argc, char **argv) {
    gtk_init(&argc, &argv);
    WebKitSettings *settings = webkit_settings_new();
    webkit_settings_set_hardware_acceleration_policy(settings, WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);
    GtkWidget *view = webkit_web_view_new_with_settings(settings);
    GtkWidget *window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_container_add(GTK_CONTAINER(window), view);
    webkit_web_view_load_html(WEBKIT_WEB_VIEW(view), "<span id=t style='font: 16px sans-serif'>Hello world</span>", NULL);
    gtk_widget_show_all(window);
    g_timeout_add(1500, ask, view);
    gtk_main();
    return 0;
}
