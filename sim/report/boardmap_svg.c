/*
 * The board memory map as an SVG picture, written with plain stdio: a
 * column of address ranges (highest address at the top), a bracket per
 * process block, the MPU regions of every process as outlines beside it,
 * and a legend. Heights follow the logarithm of a range's size, so a 24-byte
 * padding stays visible next to a 64 KiB stack; ranges too large to draw
 * usefully (the unmapped space between flash and RAM) are cut short and
 * marked with a break. Each range, block and region carries its exact board
 * addresses as data- attributes and a tooltip.
 */
#include "report/boardmap.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Layout, in SVG user units (pixels). */
#define MARGIN      20
#define MAP_TOP     84
#define ADDR_RIGHT  118 /* right edge of the address labels */
#define MAP_X       130
#define MAP_W       230
#define BRACKET_X   368
#define MPU_X       540 /* first MPU region column */
#define MPU_COL_W   130
#define MPU_BOX_W   116
#define LEGEND_W    330
#define ROW_MIN_H   18.0 /* the smallest range: one line of text */
#define ROW_LOG_H   10.0 /* added per doubling of the size above 256 bytes */
#define ROW_MAX_H   150.0
#define ELIDED_H    46.0
#define ELIDE_ABOVE (1024u * 1024u) /* empty ranges larger than this are cut short */
#define MAX_COLS    64

static const char *const fills[BOARDMAP_KIND_COUNT] = {
    [BOARDMAP_FLASH] = "#fff5cc",
    [BOARDMAP_UNMAPPED] = "#ffffff",
    [BOARDMAP_KERNEL] = "#8d8d8d",
    [BOARDMAP_ALIGN] = "url(#hatch-light)",
    [BOARDMAP_RAM_FREE] = "#f3f3f3",
    [BOARDMAP_STACK] = "#ffb74d",
    [BOARDMAP_PADDING] = "url(#hatch)",
    [BOARDMAP_IMAGE] = "#64b5f6",
    [BOARDMAP_LINK_GAP] = "url(#hatch-light)",
    [BOARDMAP_DATA] = "#81c784",
    [BOARDMAP_HEAP] = "#c5e1a5",
    [BOARDMAP_UNUSED] = "#f4faee",
    [BOARDMAP_GRANT] = "#ba68c8",
};

struct layout {
    const struct boardmap *m;
    double *top, *height; /* per range */
    double map_h;
    int *col;     /* MPU column of each region, procs in order */
    size_t ncols; /* MPU region columns */
    double width, height_total;
};

/* --- geometry ---------------------------------------------------------------- */

static bool is_empty_kind(enum boardmap_kind k)
{
    return k == BOARDMAP_UNMAPPED || k == BOARDMAP_FLASH || k == BOARDMAP_RAM_FREE ||
           k == BOARDMAP_ALIGN || k == BOARDMAP_UNUSED;
}

static bool is_elided(const struct boardmap_seg *s)
{
    return is_empty_kind(s->kind) && s->end - s->start > ELIDE_ABOVE;
}

static double row_height(const struct boardmap_seg *s)
{
    if (is_elided(s))
        return ELIDED_H;
    double size = (double)(s->end - s->start);
    double h = ROW_MIN_H + (size > 256 ? ROW_LOG_H * log2(size / 256) : 0);
    return h > ROW_MAX_H ? ROW_MAX_H : h;
}

/* y of board address a: linear inside the range that holds it, clamped to the map. */
static double y_of(const struct layout *L, uintptr_t a)
{
    const struct boardmap *m = L->m;
    if (m->nsegs == 0)
        return MAP_TOP;
    if (a <= m->segs[0].start)
        return L->top[0] + L->height[0];
    for (size_t i = 0; i < m->nsegs; i++) {
        const struct boardmap_seg *s = &m->segs[i];
        if (a <= s->end) {
            double frac = (double)(a - s->start) / (double)(s->end - s->start);
            return L->top[i] + L->height[i] * (1 - frac);
        }
    }
    return MAP_TOP;
}

/* Greedy columns: a region goes into the first column whose regions end below it. */
static int place_regions(struct layout *L)
{
    const struct boardmap *m = L->m;
    uintptr_t col_end[MAX_COLS];
    size_t n = 0;
    for (size_t i = 0; i < m->nprocs; i++)
        n += m->procs[i].nregions;
    L->col = calloc(n ? n : 1, sizeof(*L->col));
    if (!L->col)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < m->nprocs; i++) {
        const struct boardmap_proc *p = &m->procs[i];
        for (unsigned r = 0; r < p->nregions; r++, k++) {
            size_t c = 0;
            L->col[k] = -1;
            if (p->regions[r].size == 0)
                continue; /* a PMP entry that only holds the next TOR entry's base */
            while (c < L->ncols && col_end[c] > p->regions[r].start)
                c++;
            if (c == MAX_COLS)
                c = MAX_COLS - 1; /* never on real boards: overlap rather than fail */
            if (c == L->ncols)
                L->ncols++;
            col_end[c] = (uintptr_t)(p->regions[r].start + p->regions[r].size);
            L->col[k] = (int)c;
        }
    }
    return 0;
}

static int lay_out(struct layout *L, const struct boardmap *m)
{
    memset(L, 0, sizeof(*L));
    L->m = m;
    L->top = calloc(m->nsegs ? m->nsegs : 1, sizeof(double));
    L->height = calloc(m->nsegs ? m->nsegs : 1, sizeof(double));
    if (!L->top || !L->height || place_regions(L) != 0)
        return -1;
    double y = MAP_TOP;
    for (size_t i = m->nsegs; i-- > 0;) {
        L->top[i] = y;
        L->height[i] = row_height(&m->segs[i]);
        y += L->height[i];
    }
    L->map_h = y - MAP_TOP;
    L->width = MPU_X + (double)L->ncols * MPU_COL_W + 20 + LEGEND_W + MARGIN;
    double legend_h = 40 + 20.0 * (BOARDMAP_KIND_COUNT + 6);
    L->height_total = MAP_TOP + (L->map_h > legend_h ? L->map_h : legend_h) + 60;
    return 0;
}

static void free_layout(struct layout *L)
{
    free(L->top);
    free(L->height);
    free(L->col);
}

/* --- output helpers --------------------------------------------------------------- */

/* Text as XML character data or an attribute value. */
static void put_escaped(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", o);
            break;
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '"':
            fputs("&quot;", o);
            break;
        case '\'':
            fputs("&apos;", o);
            break;
        default:
            /* Control characters are not allowed in XML 1.0 at all. */
            fputc((unsigned char)*s < 0x20 ? '?' : *s, o);
        }
    }
}

static const char *access_text(unsigned access, char buf[4])
{
    buf[0] = access & HAL_ACCESS_READ ? 'r' : '-';
    buf[1] = access & HAL_ACCESS_WRITE ? 'w' : '-';
    buf[2] = access & HAL_ACCESS_EXEC ? 'x' : '-';
    buf[3] = '\0';
    return buf;
}

static const char *access_meaning(unsigned access)
{
    static const char *const meaning[8] = {
        "no access",
        "the app may read",
        "the app may write (only)",
        "the app may read and write",
        "the app may run code (only)",
        "the app may read and run code",
        "the app may write and run code",
        "writable AND executable",
    };
    return meaning[access & 7u];
}

/* Outline colour of an MPU region: executable and writable at once stands out. */
static const char *access_colour(unsigned access)
{
    bool w = access & HAL_ACCESS_WRITE, x = access & HAL_ACCESS_EXEC;
    if (w && x)
        return "#c62828";
    if (x)
        return "#0d47a1";
    if (w)
        return "#1b5e20";
    return "#5d4037";
}

static void defs(FILE *o)
{
    fputs(
        "<defs>\n"
        "  <pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\">\n"
        "    <rect width=\"6\" height=\"6\" fill=\"#e0e0e0\"/>\n"
        "    <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9e9e9e\" stroke-width=\"2\"/>\n"
        "  </pattern>\n"
        "  <pattern id=\"hatch-light\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\">\n"
        "    <rect width=\"8\" height=\"8\" fill=\"#fafafa\"/>\n"
        "    <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>\n"
        "  </pattern>\n"
        "  <pattern id=\"hatch-off\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(-45)\">\n"
        "    <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"#bdbdbd\" stroke-width=\"1.5\"/>\n"
        "  </pattern>\n"
        "</defs>\n",
        o);
}

/* --- the address column ------------------------------------------------------------- */

static void address_label(FILE *o, double y, uintptr_t a)
{
    fprintf(o,
            "<text class=\"addr\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">0x%08" PRIxPTR
            "</text>\n<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#616161\"/>\n",
            ADDR_RIGHT, y + 4, a, ADDR_RIGHT + 3, y, MAP_X, y);
}

/* Two zigzag lines across a range drawn shorter than its size. */
static void break_mark(FILE *o, double top, double h)
{
    for (int line = -1; line <= 1; line += 2) {
        double y = top + h / 2 + line * 4;
        fprintf(o, "<polyline fill=\"none\" stroke=\"#757575\" points=\"");
        for (int i = 0; i <= 23; i++)
            fprintf(o, "%.1f,%.1f ", MAP_X + i * (MAP_W / 23.0), y + (i % 2 ? 3 : -3));
        fprintf(o, "\"/>\n");
    }
}

static void range(FILE *o, const struct layout *L, size_t i)
{
    const struct boardmap_seg *s = &L->m->segs[i];
    double top = L->top[i], h = L->height[i];
    char size[32];
    boardmap_size_text(s->end - s->start, size, sizeof(size));
    fprintf(o,
            "<g class=\"range\" data-kind=\"%s\" data-start=\"0x%08" PRIxPTR
            "\" data-end=\"0x%08" PRIxPTR "\">",
            boardmap_kind_name(s->kind), s->start, s->end);
    fprintf(o, "<title>");
    if (s->proc >= 0) {
        put_escaped(o, L->m->procs[s->proc].name);
        fputs(": ", o);
    }
    fprintf(o, "%s, 0x%08" PRIxPTR "-0x%08" PRIxPTR " (%s): %s</title>\n",
            boardmap_kind_name(s->kind), s->start, s->end, size, boardmap_kind_meaning(s->kind));
    fprintf(o,
            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#424242\" "
            "stroke-width=\"0.8\"%s/>\n",
            MAP_X, top, MAP_W, h, fills[s->kind],
            s->kind == BOARDMAP_UNMAPPED ? " stroke-dasharray=\"4 3\"" : "");
    if (is_elided(s))
        break_mark(o, top, h);
    double ty = is_elided(s) ? top + 13 : top + h / 2 + 4;
    const char *colour =
        s->kind == BOARDMAP_KERNEL || s->kind == BOARDMAP_GRANT ? "#ffffff" : "#212121";
    fprintf(o,
            "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s%s "
            "%s</text>\n",
            MAP_X + MAP_W / 2, ty, colour, is_elided(s) ? "\u2248 " : "",
            boardmap_kind_name(s->kind), size);
    fputs("</g>\n", o);
}

/* A bracket beside the map spanning a process block, with its name and range. */
static void block_bracket(FILE *o, const struct layout *L, const struct boardmap_proc *p)
{
    double y_top = y_of(L, p->block.end), y_bot = y_of(L, p->block.start);
    double mid = (y_top + y_bot) / 2;
    char size[32];
    fprintf(o, "<g class=\"process\" data-name=\"");
    put_escaped(o, p->name);
    fprintf(o, "\" data-id=\"%u\" data-start=\"0x%08" PRIxPTR "\" data-end=\"0x%08" PRIxPTR "\">\n",
            p->id, p->block.start, p->block.end);
    fprintf(o,
            "<path d=\"M%d %.1f h8 V%.1f h-8\" fill=\"none\" stroke=\"#212121\" "
            "stroke-width=\"1.5\"/>\n",
            BRACKET_X, y_top + 3, y_bot - 3);
    fprintf(o, "<text class=\"pname\" x=\"%d\" y=\"%.1f\">", BRACKET_X + 14, mid - 12);
    put_escaped(o, p->name);
    fprintf(o, "</text>\n<text class=\"small\" x=\"%d\" y=\"%.1f\">process %u, %s</text>\n",
            BRACKET_X + 14, mid + 2, p->id,
            boardmap_size_text(p->block.end - p->block.start, size, sizeof(size)));
    fprintf(o,
            "<text class=\"addr\" x=\"%d\" y=\"%.1f\">0x%08" PRIxPTR "-</text>\n"
            "<text class=\"addr\" x=\"%d\" y=\"%.1f\">0x%08" PRIxPTR "</text>\n</g>\n",
            BRACKET_X + 14, mid + 16, p->block.start, BRACKET_X + 24, mid + 29, p->block.end);
}

/* One MPU region: its outline over the addresses it spans; PMSAv7's disabled
 * subregions (an eighth of the region each) hatched and dashed. */
static void mpu_region(FILE *o, const struct layout *L, const struct boardmap_proc *p, unsigned r,
                       int col)
{
    const struct hal_mpu_region *g = &p->regions[r];
    uintptr_t end = (uintptr_t)(g->start + g->size);
    double x = MPU_X + col * MPU_COL_W, y_top = y_of(L, end), y_bot = y_of(L, g->start);
    const char *stroke = access_colour(g->access);
    char acc[4], size[32];
    access_text(g->access, acc);
    fprintf(o, "<g class=\"mpu-region\" data-proc=\"");
    put_escaped(o, p->name);
    fprintf(o,
            "\" data-index=\"%u\" data-start=\"0x%08" PRIxPTR "\" data-end=\"0x%08" PRIxPTR
            "\" data-access=\"%s\"><title>",
            r, g->start, end, acc);
    put_escaped(o, p->name);
    fprintf(o, " MPU region %u: 0x%08" PRIxPTR "-0x%08" PRIxPTR " (%s) %s %s %s", r, g->start, end,
            boardmap_size_text(g->size, size, sizeof(size)), acc, g->mode, g->what);
    if (g->subregions_off)
        fprintf(o, ", subregions off 0x%02x", g->subregions_off);
    fputs("</title>\n", o);
    for (unsigned sub = 0; g->subregions_off && sub < 8; sub++) {
        if (!(g->subregions_off & (1u << sub)))
            continue;
        uintptr_t s0 = (uintptr_t)(g->start + g->size / 8 * sub);
        double sy_top = y_of(L, (uintptr_t)(s0 + g->size / 8)), sy_bot = y_of(L, s0);
        fprintf(o,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"url(#hatch-off)\" "
                "stroke=\"#9e9e9e\" stroke-dasharray=\"3 2\"/>\n",
                x, sy_top, MPU_BOX_W, sy_bot - sy_top);
    }
    fprintf(o,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" "
            "fill-opacity=\"0.07\" stroke=\"%s\" stroke-width=\"2\"/>\n",
            x, y_top, MPU_BOX_W, y_bot - y_top, stroke, stroke);
    fprintf(o, "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", x + 4, y_top + 12,
            stroke);
    put_escaped(o, p->name);
    fprintf(o, " R%u %s %s</text>\n</g>\n", r, acc, g->what);
}

/* --- legend --------------------------------------------------------------------- */

struct swatch {
    const char *fill, *stroke;
    double stroke_width;
    const char *dash; /* stroke-dasharray, or NULL */
};

static double legend_swatch(FILE *o, double x, double y, struct swatch w, const char *name,
                            const char *meaning)
{
    fprintf(o,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"14\" fill=\"%s\" stroke=\"%s\" "
            "stroke-width=\"%.1f\"%s%s%s/>\n",
            x, y - 11, w.fill, w.stroke, w.stroke_width, w.dash ? " stroke-dasharray=\"" : "",
            w.dash ? w.dash : "", w.dash ? "\"" : "");
    fprintf(o,
            "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\"><tspan font-weight=\"bold\">%s</tspan> "
            "%s</text>\n",
            x + 30, y, name, meaning);
    return y + 20;
}

static void legend(FILE *o, const struct layout *L)
{
    const struct boardmap *m = L->m;
    bool present[BOARDMAP_KIND_COUNT] = {false}, subregions = false;
    unsigned accesses = 0; /* bit per access combination seen */
    for (size_t i = 0; i < m->nsegs; i++)
        present[m->segs[i].kind] = true;
    for (size_t i = 0; i < m->nprocs; i++)
        for (unsigned r = 0; r < m->procs[i].nregions; r++) {
            if (m->procs[i].regions[r].size == 0)
                continue;
            accesses |= 1u << (m->procs[i].regions[r].access & 7u);
            subregions |= m->procs[i].regions[r].subregions_off != 0;
        }
    double x = MPU_X + (double)L->ncols * MPU_COL_W + 20, y = MAP_TOP;
    fprintf(o, "<g class=\"legend\">\n<text class=\"head\" x=\"%.1f\" y=\"%.1f\">Legend</text>\n",
            x, y - 8);
    y += 12;
    for (int k = 0; k < BOARDMAP_KIND_COUNT; k++)
        if (present[k])
            y = legend_swatch(
                o, x, y,
                (struct swatch){fills[k], "#424242", 0.8, k == BOARDMAP_UNMAPPED ? "4 3" : NULL},
                boardmap_kind_name(k), boardmap_kind_meaning(k));
    y += 10;
    fprintf(o, "<text class=\"head\" x=\"%.1f\" y=\"%.1f\">MPU regions (%s)</text>\n", x, y,
            m->mpu_model);
    y += 20;
    for (unsigned a = 0; a < 8; a++) {
        if (!(accesses & (1u << a)))
            continue;
        char acc[4];
        access_text(a, acc);
        y = legend_swatch(o, x, y, (struct swatch){"none", access_colour(a), 2, NULL}, acc,
                          access_meaning(a));
    }
    if (subregions)
        legend_swatch(o, x, y, (struct swatch){"url(#hatch-off)", "#9e9e9e", 1, "3 2"}, "off",
                      "a disabled subregion (1/8 of the region)");
    fputs("</g>\n", o);
}

/* --- the picture -------------------------------------------------------------------- */

static void header(FILE *o, const struct layout *L)
{
    const struct boardmap *m = L->m;
    fprintf(o,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
            L->width, L->height_total, L->width, L->height_total);
    fputs(
        "<style>\n"
        "  .addr { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; fill: #212121; }\n"
        "  .label { font-size: 11px; }\n"
        "  .small { font-size: 10px; }\n"
        "  .pname { font-size: 13px; font-weight: bold; }\n"
        "  .head { font-size: 13px; font-weight: bold; }\n"
        "  .legend { font-size: 11px; }\n"
        "  .title { font-size: 18px; font-weight: bold; }\n"
        "</style>\n",
        o);
    defs(o);
    fprintf(o, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    fprintf(o, "<text class=\"title\" x=\"%d\" y=\"32\">Board ", MARGIN);
    put_escaped(o, m->board_name);
    fprintf(o, ": memory map, %zu process%s</text>\n", m->nprocs, m->nprocs == 1 ? "" : "es");
    fprintf(o,
            "<text class=\"legend\" x=\"%d\" y=\"52\">Board addresses, highest at the top. "
            "Heights grow with the logarithm of the size; \u2248 marks a range drawn much "
            "shorter than it is.</text>\n",
            MARGIN);
    fprintf(o,
            "<text class=\"legend\" x=\"%d\" y=\"68\">MPU model %s: each outline on the right is "
            "one hardware region of one process, over the addresses it covers.</text>\n",
            MARGIN, m->mpu_model);
}

int boardmap_svg(FILE *o, const struct boardmap *m)
{
    struct layout L;
    if (lay_out(&L, m) != 0) {
        free_layout(&L);
        return -1;
    }
    header(o, &L);
    for (size_t i = m->nsegs; i-- > 0;) {
        range(o, &L, i);
        address_label(o, L.top[i], m->segs[i].end);
    }
    if (m->nsegs)
        address_label(o, L.top[0] + L.height[0], m->segs[0].start);
    size_t k = 0;
    for (size_t i = 0; i < m->nprocs; i++) {
        block_bracket(o, &L, &m->procs[i]);
        for (unsigned r = 0; r < m->procs[i].nregions; r++, k++)
            if (L.col[k] >= 0)
                mpu_region(o, &L, &m->procs[i], r, L.col[k]);
    }
    legend(o, &L);
    fputs("</svg>\n", o);
    free_layout(&L);
    return ferror(o) ? -1 : 0;
}
