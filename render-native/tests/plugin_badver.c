/* plugin_badver.c: test-only native plugin with a wrong apiver (test_plugins.cc). */
#include "plugin_api.h"

static int applies(const dqm_object_info *info) { (void)info; return 1; }
static const dqm_plugin plugin = {DQM_PLUGIN_APIVER + 98, "badver", applies, 0, 0};
const dqm_plugin *dqm_plugin_v1(void) { return &plugin; }
