/* Sentence keys, compiled: what lib/cleaning/features.py's sentence_key and sentences compute in Python, the same
 * strings in one pass over each sentence.
 *
 * sentence_key(text) -> str: text.lower(), its whitespace (str.split's: Py_UNICODE_ISSPACE) collapsed to one space
 * and stripped, each run of decimal digits (re's \d: Py_UNICODE_ISDECIMAL) masked as "#".
 * keyed(raw, start, spans) -> list: (start + a, start + b, sentence_key(raw[start + a : start + b])) for each (a, b)
 * of spans. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *key_of(PyObject *text) {
    PyObject *low = PyObject_CallMethod(text, "lower", NULL);
    if (!low)
        return NULL;
    int kind = PyUnicode_KIND(low);
    const void *data = PyUnicode_DATA(low);
    Py_ssize_t n = PyUnicode_GET_LENGTH(low), m = 0;
    Py_UCS4 *buf = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));
    if (!buf) {
        Py_DECREF(low);
        return PyErr_NoMemory();
    }
    int space = 0;  /* whitespace seen since the last character kept */
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISSPACE(c)) {
            space = m > 0;
            i++;
            continue;
        }
        if (space) {
            buf[m++] = ' ';
            space = 0;
        }
        if (Py_UNICODE_ISDECIMAL(c)) {
            buf[m++] = '#';
            while (i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
                i++;
            continue;
        }
        buf[m++] = c;
        i++;
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m);
    PyMem_Free(buf);
    Py_DECREF(low);
    return out;
}

static PyObject *sentence_key(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "sentence_key: a str");
        return NULL;
    }
    return key_of(text);
}

static PyObject *keyed(PyObject *self, PyObject *args) {
    PyObject *raw, *spans;
    Py_ssize_t start;
    if (!PyArg_ParseTuple(args, "UnO!", &raw, &start, &PyList_Type, &spans))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(spans);
    PyObject *out = PyList_New(count);
    if (!out)
        return NULL;
    for (Py_ssize_t j = 0; j < count; j++) {
        Py_ssize_t a, b;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(spans, j), "nn", &a, &b))
            goto fail;
        PyObject *text = PyUnicode_Substring(raw, start + a, start + b);
        if (!text)
            goto fail;
        PyObject *key = key_of(text);
        Py_DECREF(text);
        if (!key)
            goto fail;
        PyObject *row = Py_BuildValue("(nnN)", start + a, start + b, key);
        if (!row)
            goto fail;
        PyList_SET_ITEM(out, j, row);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"sentence_key", sentence_key, METH_O, "sentence_key(text) -> str: see the module's source."},
    {"keyed", keyed, METH_VARARGS, "keyed(raw, start, spans) -> list: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_keys", NULL, -1, methods};

PyMODINIT_FUNC PyInit__keys(void) { return PyModule_Create(&module); }
