/* Sentence spans from sentencex's pieces, compiled: what lib/text/segment.py's _sentence_spans computes in Python
 * from _boundaries, the same spans in one pass over the pieces.
 *
 * spans(text, plain, pieces, en) -> tuple or None: None where the pieces do not add up to plain (text with its
 * non-ASCII whitespace read as spaces, as long as text); else for each piece, its place in text stripped of
 * whitespace (str.strip's: Py_UNICODE_ISSPACE), pieces left empty skipped; a piece joins the span before it where
 * it opens with segment.FRAGMENT (an ASCII capital, a full stop, then one of ",;:)", or whitespace (re's \s:
 * Py_UNICODE_ISSPACE) and an ASCII lower-case letter, or whitespace to the end) or, with en, where the span before
 * it ends with one of segment.TITLE's titles and its full stop (the title not after a word character, re's \w:
 * Py_UNICODE_ISALNUM or "_", or a full stop; not before that span's start) and segment.NAME_NEXT follows (spaces,
 * tabs or no-break spaces, perhaps one of "'“‘(, then an ASCII capital). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static const char *TITLES[] = {"Mr", "Mrs", "Ms", "Mx", "Messrs", "Mmes", "Dr", "Prof", "Rev", "Fr", "Sen", "Sens",
                               "Rep", "Reps", "Gov", "Pres", "Amb", "Atty", "Gen", "Gens", "Lt", "Col", "Maj", "Capt",
                               "Cmdr", "Cpl", "Sgt", "Adm", "Brig", "Det", "Insp", "Supt", "Hon", "St", "Ste", "Ft",
                               "Mt", NULL};

#define AT(i) PyUnicode_READ(kind, data, (i))

static int upper(Py_UCS4 c) { return c >= 'A' && c <= 'Z'; }

/* segment.FRAGMENT.match(text, s) */
static int fragment(int kind, const void *data, Py_ssize_t n, Py_ssize_t s) {
    if (s + 1 >= n || !upper(AT(s)) || AT(s + 1) != '.')
        return 0;
    Py_ssize_t j = s + 2;
    if (j < n) {
        Py_UCS4 c = AT(j);
        if (c == ',' || c == ';' || c == ':' || c == ')')
            return 1;
    }
    while (j < n && Py_UNICODE_ISSPACE(AT(j)))
        j++;
    return j == n || (j > s + 2 && AT(j) >= 'a' && AT(j) <= 'z');
}

/* segment._after_title(text, start, end) */
static int after_title(int kind, const void *data, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end) {
    if (end < 1 || AT(end - 1) != '.')
        return 0;
    Py_ssize_t j = end;
    while (j < n && (AT(j) == ' ' || AT(j) == '\t' || AT(j) == 0xA0))
        j++;
    if (j == end || j >= n)
        return 0;
    Py_UCS4 c = AT(j);
    if (c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == '(') {
        if (++j >= n)
            return 0;
        c = AT(j);
    }
    if (!upper(c))
        return 0;
    Py_ssize_t lo = end - 8 > start ? end - 8 : start;
    for (const char **t = TITLES; *t; t++) {
        Py_ssize_t len = (Py_ssize_t)strlen(*t), p = end - 1 - len, i;
        if (p < lo)
            continue;
        for (i = 0; i < len && AT(p + i) == (Py_UCS4)(unsigned char)(*t)[i]; i++)
            ;
        if (i < len)
            continue;
        if (p > 0) {
            Py_UCS4 b = AT(p - 1);
            if (Py_UNICODE_ISALNUM(b) || b == '_' || b == '.')
                continue;
        }
        return 1;
    }
    return 0;
}

static PyObject *spans(PyObject *self, PyObject *args) {
    PyObject *text, *plain, *pieces;
    int en;
    if (!PyArg_ParseTuple(args, "UUO!p", &text, &plain, &PyList_Type, &pieces, &en))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), at = 0, count = PyList_GET_SIZE(pieces);
    if (PyUnicode_GET_LENGTH(plain) != n)
        Py_RETURN_NONE;
    for (Py_ssize_t k = 0; k < count; k++) {  /* the pieces add up to plain */
        PyObject *piece = PyList_GET_ITEM(pieces, k);
        if (!PyUnicode_Check(piece))
            Py_RETURN_NONE;
        Py_ssize_t len = PyUnicode_GET_LENGTH(piece);
        if (at + len > n || PyUnicode_Tailmatch(plain, piece, at, at + len, -1) != 1)
            Py_RETURN_NONE;
        at += len;
    }
    if (at != n)
        Py_RETURN_NONE;
    Py_ssize_t *bounds = PyMem_Malloc(sizeof(Py_ssize_t) * 2 * (count + 1));
    if (!bounds)
        return PyErr_NoMemory();
    Py_ssize_t found = 0;
    at = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(PyList_GET_ITEM(pieces, k)), s = at, e = at + len;
        at = e;
        while (s < e && Py_UNICODE_ISSPACE(AT(s)))
            s++;
        while (e > s && Py_UNICODE_ISSPACE(AT(e - 1)))
            e--;
        if (e <= s)
            continue;
        if (found && (fragment(kind, data, n, s) ||
                      (en && after_title(kind, data, n, bounds[2 * found - 2], bounds[2 * found - 1])))) {
            bounds[2 * found - 1] = e;
        } else {
            bounds[2 * found] = s;
            bounds[2 * found + 1] = e;
            found++;
        }
    }
    PyObject *out = PyTuple_New(found);
    for (Py_ssize_t k = 0; out && k < found; k++) {
        PyObject *pair = Py_BuildValue("(nn)", bounds[2 * k], bounds[2 * k + 1]);
        if (!pair) {
            Py_CLEAR(out);
            break;
        }
        PyTuple_SET_ITEM(out, k, pair);
    }
    PyMem_Free(bounds);
    return out;
}

static PyMethodDef methods[] = {
    {"spans", spans, METH_VARARGS, "spans(text, plain, pieces, en) -> tuple or None: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sentences", NULL, -1, methods};

PyMODINIT_FUNC PyInit__sentences(void) { return PyModule_Create(&module); }
