/* Blocks of a text, compiled: what lib/cleaning/blocks.py's ends_sentence and blocks (for a text without a
 * flattened page's separator) compute in Python, the same in one pass; and where the regular expressions that
 * scan a whole article for a separator (blocks.TOKEN) and for a glued word (furniture.GLUE) match.
 *
 * ends_sentence(line) -> bool: SENTENCE_END searched in line[-8:]: its trailing whitespace (re's \s:
 * Py_UNICODE_ISSPACE) aside, it ends with a quote ("”’), or with ":" or ";" after a word character (re's \w), or
 * with ".", "!" or "?" (then any of "'”’)] ) not after ".", "…" or whitespace.
 * blocks(raw) -> list: (start, end, text, words) of each block: its lines (up to each "\n"), whitespace collapsed
 * (str.split's whitespace), blank ones left out; a line joined to the one before when that does not end like a
 * sentence and this one starts in lower case (str.islower of its first character); words: its spaces, plus one.
 * tokens(raw) -> list: (m.start(), m.end()) of each match m of blocks.TOKEN: a space, then 1 to 4 characters that are
 * not word characters, whitespace, quotes or brackets, not all of them a sentence's punctuation (".,;:!?…"), then a
 * space (not taken: the next match may start there).
 * glue(raw) -> list: the start of each match of furniture.GLUE: an ASCII capital, a decimal digit (re's \d:
 * Py_UNICODE_ISDECIMAL) or one of ‘"“, after an ASCII lower-case letter.
 * letter_runs(text, least) -> list: each run of least (1 or more) letters or more, as re's findall of
 * [^\W\d_]{least,} finds them: a letter is a word character (re's \w: Py_UNICODE_ISALNUM, or "_") that is not a
 * decimal digit (Py_UNICODE_ISDECIMAL) nor "_".
 * spaced(text, marks) -> int: for each character m of marks (32 at most), how many times str.count finds " m " (each
 * between two U+0020 spaces) in " " + text + " ", added up. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int is_closer(Py_UCS4 c) {
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == ')' || c == ']';
}

/* SENTENCE_END in the last 8 characters of text[0:n] (read through kind and data) */
static int ends(int kind, const void *data, Py_ssize_t n) {
    Py_ssize_t lo = n > 8 ? n - 8 : 0, hi = n;
    while (hi > lo && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, hi - 1)))
        hi--;
    if (hi == lo)
        return 0;
    Py_UCS4 last = PyUnicode_READ(kind, data, hi - 1);
    if (last == '"' || last == 0x201D || last == 0x2019)
        return 1;
    if ((last == ':' || last == ';') && hi - 2 >= lo) {
        Py_UCS4 c = PyUnicode_READ(kind, data, hi - 2);
        if (Py_UNICODE_ISALNUM(c) || c == '_')
            return 1;
    }
    Py_ssize_t at = hi;
    while (at > lo && is_closer(PyUnicode_READ(kind, data, at - 1)))
        at--;
    if (at == lo)
        return 0;
    Py_UCS4 mark = PyUnicode_READ(kind, data, at - 1);
    if (mark != '.' && mark != '!' && mark != '?')
        return 0;
    if (at - 2 < lo)
        return 1;
    Py_UCS4 before = PyUnicode_READ(kind, data, at - 2);
    return !(before == '.' || before == 0x2026 || Py_UNICODE_ISSPACE(before));
}

static PyObject *ends_sentence(PyObject *self, PyObject *line) {
    if (!PyUnicode_Check(line)) {
        PyErr_SetString(PyExc_TypeError, "ends_sentence: a str");
        return NULL;
    }
    return PyBool_FromLong(ends(PyUnicode_KIND(line), PyUnicode_DATA(line), PyUnicode_GET_LENGTH(line)));
}

/* out.append(item), the new reference to item given up: 0, or -1 with an exception set (item NULL too) */
static int append_new(PyObject *out, PyObject *item) {
    if (!item)
        return -1;
    int r = PyList_Append(out, item);
    Py_DECREF(item);
    return r;
}

/* (start, end, the text in buf[0:m], its spaces + 1) appended to out: 0, or -1 with an exception set */
static int append_block(PyObject *out, Py_ssize_t start, Py_ssize_t end, const Py_UCS4 *buf, Py_ssize_t m) {
    Py_ssize_t words = 1;
    for (Py_ssize_t i = 0; i < m; i++)
        words += buf[i] == ' ';
    return append_new(out, Py_BuildValue("(nnNn)", start, end, PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m),
                                         words));
}

static PyObject *blocks(PyObject *self, PyObject *raw) {
    if (!PyUnicode_Check(raw)) {
        PyErr_SetString(PyExc_TypeError, "blocks: a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(raw);
    const void *data = PyUnicode_DATA(raw);
    Py_ssize_t n = PyUnicode_GET_LENGTH(raw);
    Py_UCS4 *buf = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));  /* the current block's text */
    PyObject *out = PyList_New(0);
    if (!buf || !out) {
        PyMem_Free(buf);
        Py_XDECREF(out);
        return PyErr_NoMemory();
    }
    Py_ssize_t m = 0, block_start = 0, block_end = 0;
    int open = 0, joinable = 0;  /* a block is being built; it does not end like a sentence */
    for (Py_ssize_t start = 0; start < n;) {
        Py_ssize_t stop = start;  /* the line: raw[start:stop], then its "\n" */
        while (stop < n && PyUnicode_READ(kind, data, stop) != '\n')
            stop++;
        Py_ssize_t first = start;  /* its first character that is not whitespace */
        while (first < stop && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, first)))
            first++;
        if (first == stop) {
            joinable = 0;
        } else {
            int join = joinable && open && Py_UNICODE_ISLOWER(PyUnicode_READ(kind, data, first));
            if (!join) {
                if (open && append_block(out, block_start, block_end, buf, m) < 0)
                    goto fail;
                m = 0;
                block_start = start;
                open = 1;
            }
            Py_ssize_t line_from = m + (join ? 1 : 0);  /* where this line's text starts in buf */
            if (join)
                buf[m++] = ' ';
            int space = 0;
            for (Py_ssize_t i = first; i < stop; i++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                if (Py_UNICODE_ISSPACE(c)) {
                    space = 1;
                    continue;
                }
                if (space)
                    buf[m++] = ' ';
                space = 0;
                buf[m++] = c;
            }
            block_end = stop;
            joinable = !ends(PyUnicode_4BYTE_KIND, buf + line_from, m - line_from);
        }
        start = stop + 1;
    }
    if (open && append_block(out, block_start, block_end, buf, m) < 0)
        goto fail;
    PyMem_Free(buf);
    return out;
fail:
    PyMem_Free(buf);
    Py_DECREF(out);
    return NULL;
}

/* TOKEN's class: not a word character (re's \w), whitespace (\s), a quote or a bracket */
static inline int token_char(Py_UCS4 c) {
    if (Py_UNICODE_ISALNUM(c) || c == '_' || Py_UNICODE_ISSPACE(c))
        return 0;
    return !(c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == '(' ||
             c == ')' || c == '[' || c == ']');
}

static inline int stop_char(Py_UCS4 c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == 0x2026;
}

static int append_pair(PyObject *out, Py_ssize_t a, Py_ssize_t b) {
    return append_new(out, Py_BuildValue("(nn)", a, b));
}

/* A scan of raw: its kind, data and length, and the new list the scan fills; NULL (an exception set) where raw is not
 * a str */
static PyObject *scan_of(PyObject *raw, int *kind, const void **data, Py_ssize_t *n) {
    if (!PyUnicode_Check(raw)) {
        PyErr_SetString(PyExc_TypeError, "a scan takes a str");
        return NULL;
    }
    *kind = PyUnicode_KIND(raw);
    *data = PyUnicode_DATA(raw);
    *n = PyUnicode_GET_LENGTH(raw);
    return PyList_New(0);
}

static PyObject *tokens(PyObject *self, PyObject *raw) {
    int kind;
    const void *data;
    Py_ssize_t n;
    PyObject *out = scan_of(raw, &kind, &data, &n);
    if (!out)
        return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        if (PyUnicode_READ(kind, data, i) != ' ') {
            i++;
            continue;
        }
        Py_ssize_t len = 0, stops = 0;
        while (len < 5 && i + 1 + len < n && token_char(PyUnicode_READ(kind, data, i + 1 + len))) {
            stops += stop_char(PyUnicode_READ(kind, data, i + 1 + len));
            len++;
        }
        if (len >= 1 && len <= 4 && i + 1 + len < n && PyUnicode_READ(kind, data, i + 1 + len) == ' ' &&
            stops < len) {
            if (append_pair(out, i, i + 1 + len) < 0) {
                Py_DECREF(out);
                return NULL;
            }
            i += 1 + len;
            continue;
        }
        i++;
    }
    return out;
}

static PyObject *glue(PyObject *self, PyObject *raw) {
    int kind;
    const void *data;
    Py_ssize_t n;
    PyObject *out = scan_of(raw, &kind, &data, &n);
    if (!out)
        return NULL;
    for (Py_ssize_t i = 1; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i), before = PyUnicode_READ(kind, data, i - 1);
        if (before < 'a' || before > 'z')
            continue;
        if ((c >= 'A' && c <= 'Z') || Py_UNICODE_ISDECIMAL(c) || c == 0x2018 || c == '"' || c == 0x201C) {
            if (append_new(out, PyLong_FromSsize_t(i)) < 0) {
                Py_DECREF(out);
                return NULL;
            }
        }
    }
    return out;
}

static inline int is_letter(Py_UCS4 c) {
    if (c < 128)
        return (c | 32) >= 'a' && (c | 32) <= 'z';
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static PyObject *letter_runs(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t least;
    if (!PyArg_ParseTuple(args, "Un", &text, &least))
        return NULL;
    if (least < 1) {
        PyErr_SetString(PyExc_ValueError, "letter_runs: least must be 1 or more");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    while (i < n) {
        while (i < n && !is_letter(PyUnicode_READ(kind, data, i)))
            i++;
        Py_ssize_t start = i;
        while (i < n && is_letter(PyUnicode_READ(kind, data, i)))
            i++;
        if (i - start >= least && append_new(out, PyUnicode_Substring(text, start, i)) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *spaced(PyObject *self, PyObject *args) {
    PyObject *text, *marks;
    if (!PyArg_ParseTuple(args, "UU", &text, &marks))
        return NULL;
    Py_ssize_t k = PyUnicode_GET_LENGTH(marks), n = PyUnicode_GET_LENGTH(text), count = 0;
    if (k > 32) {
        PyErr_SetString(PyExc_ValueError, "spaced: 32 marks at most");
        return NULL;
    }
    Py_UCS4 mark[32];
    Py_ssize_t next[32];  /* where the next match of each mark may start: str.count's matches do not overlap */
    for (Py_ssize_t j = 0; j < k; j++) {
        mark[j] = PyUnicode_READ_CHAR(marks, j);
        next[j] = 0;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {  /* text[i], the mark of a match that starts at i in the padded text */
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == ' ' || (i > 0 && PyUnicode_READ(kind, data, i - 1) != ' ')
            || (i + 1 < n && PyUnicode_READ(kind, data, i + 1) != ' '))
            continue;
        for (Py_ssize_t j = 0; j < k; j++)
            if (mark[j] == c && i >= next[j]) {
                count++;
                next[j] = i + 3;  /* the next match's mark comes after this one's closing space */
            }
    }
    return PyLong_FromSsize_t(count);
}

static PyMethodDef methods[] = {
    {"spaced", spaced, METH_VARARGS, "spaced(text, marks) -> int: see the module's source."},
    {"letter_runs", letter_runs, METH_VARARGS, "letter_runs(text, least) -> list of str: see the module's source."},
    {"tokens", tokens, METH_O, "tokens(raw) -> list of (start, end): see the module's source."},
    {"glue", glue, METH_O, "glue(raw) -> list of offsets: see the module's source."},
    {"ends_sentence", ends_sentence, METH_O, "ends_sentence(line) -> bool: see the module's source."},
    {"blocks", blocks, METH_O, "blocks(raw) -> list of (start, end, text, words): see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_blocks", NULL, -1, methods};

PyMODINIT_FUNC PyInit__blocks(void) { return PyModule_Create(&module); }
