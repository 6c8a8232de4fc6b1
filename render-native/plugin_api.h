/* plugin_api.h: the one versioned C ABI of native render plugins.
 *
 * Most plugins are declarative rules (plugins/rules/ *.json, see
 * render_plugins.h). The few that need custom drawing are shared libraries
 * exporting one symbol, `dqm_plugin_v1`, that returns a `dqm_plugin`
 * (STYLE rule 11; cf. Redis's RedisModule_OnLoad + REDISMODULE_APIVER_1).
 * The daemon refuses a plugin whose apiver differs from DQM_PLUGIN_APIVER.
 *
 * Hooks run per request in the order the plugins were loaded:
 *   applies -> pre_draw (may change the style) -> default drawing ->
 *   post_draw (may draw on top, in frame or pixel coordinates).
 * Hooks must not keep pointers past the call. */
#ifndef DQM_PLUGIN_API_H
#define DQM_PLUGIN_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DQM_PLUGIN_APIVER 1

typedef struct _cairo cairo_t;

/* What a plugin may look at. Strings are NUL-terminated and valid during the call. */
typedef struct dqm_object_info {
  const char *path;   /* ME path, e.g. "PixelPhase1/EventInfo/reportSummaryMap" */
  const char *cls;    /* ROOT class of the main object, "" when missing */
  int dim;            /* 0 text, 1, 2 or 3 */
  int nobjects;       /* main object + overlays */
  uint32_t flags;     /* request flags (efficiency bit 0x00200000) */
  uint32_t bits;      /* TObject fBits of the main object */
  uint32_t unique_id; /* TObject fUniqueID of the main object */
  double entries;     /* fEntries */
  double min, max;    /* smallest and largest bin content (without under/overflow) */
  int nbinsx, nbinsy;
} dqm_object_info;

/* Style a pre_draw hook may change. Negative ints and NaN doubles mean
 * "leave as is"; user options from the request still win over these. */
typedef struct dqm_style {
  char draw[64];       /* draw option, "" = leave */
  char palette[32];    /* palette name ("bird", "rainbow", "summary", ...), "" = leave */
  int stats;           /* 0 hide, 1 show, -1 leave */
  int logx, logy, logz;/* 0 lin, 1 log, -1 leave */
  int gridx, gridy;    /* 0 off, 1 on, -1 leave */
  double xmin, xmax, ymin, ymax, zmin, zmax;  /* NaN = leave */
} dqm_style;

/* Where the plot was drawn, for post_draw. Pixel coordinates have their origin
 * at the top left of the image. */
typedef struct dqm_frame {
  cairo_t *cr;                 /* the image being drawn; save/restore around changes */
  int width, height;           /* image size in pixels */
  double px0, py0, px1, py1;   /* frame rectangle in pixels (left, top, right, bottom) */
  double xmin, xmax;           /* data range shown on x */
  double ymin, ymax;           /* data range shown on y (value axis for 1D) */
  int logx, logy;              /* axes in log scale */
} dqm_frame;

typedef struct dqm_plugin {
  int apiver;                  /* DQM_PLUGIN_APIVER */
  const char *name;
  int (*applies)(const dqm_object_info *info);                   /* required */
  void (*pre_draw)(const dqm_object_info *info, dqm_style *style); /* optional (NULL) */
  void (*post_draw)(const dqm_object_info *info, const dqm_frame *frame); /* optional (NULL) */
} dqm_plugin;

/* The entry point every plugin library exports. */
typedef const dqm_plugin *(*dqm_plugin_entry_fn)(void);
#define DQM_PLUGIN_ENTRY "dqm_plugin_v1"

#ifdef __cplusplus
}
#endif

#endif /* DQM_PLUGIN_API_H */
