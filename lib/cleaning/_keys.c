/* Sentence keys, compiled: what lib/cleaning/features.py's sentence_key and sentences compute in Python, the same
 * strings in one pass over each sentence.
 *
 * sentence_key(text) -> str: text.lower(), its whitespace (str.split's: Py_UNICODE_ISSPACE) collapsed to one space
 * and stripped, each run of decimal digits (re's \d: Py_UNICODE_ISDECIMAL) masked as "#".
 * masked(text) -> str: text.lower() with each run of decimal digits masked as "#" (re.sub(r"\d+", "#", ...)), its
 * whitespace as it was.
 * phrases(text, trie, hash_ends=True) -> list: (start, end) of each match of counts._alternation's pattern of the
 * trie's phrases, as re's finditer finds them: from each place not after a word character or "#", the trie walked character by
 * character (a run of whitespace for its " "), the longest phrase that ends there (its "" key: true where no word
 * character or "#" may follow, or with hash_ends false no word character); the next search from where a match ends.
 * keyed(raw, start, spans) -> list: (start + a, start + b, sentence_key(raw[start + a : start + b])) for each (a, b)
 * of spans.
 * skeleton(text, most) -> str: features.skeleton with SKELETON_WORDS = most. "" for a text of more than most words
 * (str.split's); else each run of decimal digits "#", then each run of NAME_RUN's capitalised words (an ASCII capital
 * not after a word character or an apostrophe, word characters and ".&-", then perhaps an apostrophe and "s", then
 * perhaps one of ",:;", then whitespace or the end) "C ", with a space appended first; then lower case, whitespace
 * collapsed; "" unless two or more runs of ASCII lower-case letters stand between non-word characters (LOWER_WORD).
 * Word characters are re's \w: Py_UNICODE_ISALNUM and "_".
 * collect(raw, start, spans, sets, most, opening, short) -> None: for each (a, b) of spans, the sentence
 * raw[start + a : start + b] and its key k of n words added to the five sets (found, openings, skeletons, heads,
 * tails) as Counts.add adds them: k where 3 <= n <= most; its first opening words where n > opening; its skeleton
 * (as skeleton(sentence, short)) where n <= short; features.head_of and tail_of of its words.
 * quiet(raw, start, spans, (sentences, openings, first, last, skeletons, heads, tails), credit, short, opening) ->
 * list: (start + a, start + b, key, its first opening words) for each (a, b) of spans where no rule of
 * clean.sentence_spans can take the sentence, else (start + a, start + b, key, None): it could where its key has no
 * word; n <= credit words and "/" or "via" in the key (a photo credit); skeletons and n <= short and its skeleton
 * (as skeleton(sentence, short)) among them; its head_of among heads, its tail_of among tails; its key among
 * sentences, or its opening among openings ("" for n <= opening); or, for a word count k < n in last[its last
 * word] (first[its first word]), its last (first) k words among sentences: clean._boilerplate's tests.
 * hashes(keys) -> bytes: a 64-bit hash of each str of the sequence keys (FNV-1a over its code points, then
 * murmur3's finaliser), as native unsigned 64-bit integers: the same in every process and run. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* text.lower(), with its kind, data and length; NULL (an exception set) where it fails */
static PyObject *lowered(PyObject *text, int *kind, const void **data, Py_ssize_t *n) {
    PyObject *low = PyObject_CallMethod(text, "lower", NULL);
    if (low) {
        *kind = PyUnicode_KIND(low);
        *data = PyUnicode_DATA(low);
        *n = PyUnicode_GET_LENGTH(low);
    }
    return low;
}

/* key_of for an ASCII text: lowered as it is read (no lowered copy first), written in one byte a character */
static PyObject *ascii_key_of(PyObject *text) {
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = 0;
    char small[512], *buf = n <= (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc(n);
    if (!buf)
        return PyErr_NoMemory();
    int space = 0;  /* whitespace seen since the last character kept */
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS1 c = s[i];
        if (Py_UNICODE_ISSPACE(c)) {  /* str.split's whitespace: "\x1c" to "\x1f" too */
            space = m > 0;
            i++;
            continue;
        }
        if (space) {
            buf[m++] = ' ';
            space = 0;
        }
        if (c >= '0' && c <= '9') {
            buf[m++] = '#';
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            continue;
        }
        buf[m++] = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
        i++;
    }
    PyObject *out = PyUnicode_New(m, 127);
    if (out)
        memcpy(PyUnicode_1BYTE_DATA(out), buf, m);
    if (buf != small)
        PyMem_Free(buf);
    return out;
}

static PyObject *key_of(PyObject *text) {
    if (PyUnicode_IS_ASCII(text))
        return ascii_key_of(text);
    int kind;
    const void *data;
    Py_ssize_t n, m = 0;
    PyObject *low = lowered(text, &kind, &data, &n);
    if (!low)
        return NULL;
    void *buf = PyMem_Malloc(n * kind + 1);  /* written in the lower case's own kind: " " and "#" fit any */
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
            PyUnicode_WRITE(kind, buf, m++, ' ');
            space = 0;
        }
        if (Py_UNICODE_ISDECIMAL(c)) {
            PyUnicode_WRITE(kind, buf, m++, '#');
            while (i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
                i++;
            continue;
        }
        PyUnicode_WRITE(kind, buf, m++, c);
        i++;
    }
    PyObject *out = PyUnicode_FromKindAndData(kind, buf, m);
    PyMem_Free(buf);
    Py_DECREF(low);
    return out;
}

static PyObject *masked(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "masked: a str");
        return NULL;
    }
    int kind;
    const void *data;
    Py_ssize_t n, first = 0;
    PyObject *low = lowered(text, &kind, &data, &n);
    if (!low)
        return NULL;
    while (first < n && !Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, first)))
        first++;
    if (first == n)
        return low; /* no digit: the lower case as it is */
    void *buf = PyMem_Malloc(n * kind); /* written in the text's own kind: "#" fits any */
    if (!buf) {
        Py_DECREF(low);
        return PyErr_NoMemory();
    }
    memcpy(buf, data, first * kind);
    Py_ssize_t m = first;
    for (Py_ssize_t i = first; i < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISDECIMAL(c)) {
            PyUnicode_WRITE(kind, buf, m++, '#');
            while (i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
                i++;
            continue;
        }
        PyUnicode_WRITE(kind, buf, m++, c);
        i++;
    }
    PyObject *out = PyUnicode_FromKindAndData(kind, buf, m);
    PyMem_Free(buf);
    Py_DECREF(low);
    return out;
}

/* re's [\w#] */
static inline int word_or_hash(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) || c == '_' || c == '#'; }

static PyObject *phrases(PyObject *self, PyObject *args) {
    PyObject *text, *trie;
    int hash_ends = 1; /* a "#" after a phrase's last letter or digit ends the match too (else a word character only) */
    if (!PyArg_ParseTuple(args, "UO!|p", &text, &PyDict_Type, &trie, &hash_ends))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0), *end_key = PyUnicode_FromString(""), *space_key = PyUnicode_FromString(" ");
    if (!out || !end_key || !space_key)
        goto fail;
    char first[128] = {0}; /* the ASCII characters a phrase starts with; any other is looked up */
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(trie, &pos, &key, &value))
        if (PyUnicode_Check(key) && PyUnicode_GET_LENGTH(key) == 1 && PyUnicode_READ_CHAR(key, 0) < 128)
            first[PyUnicode_READ_CHAR(key, 0)] = 1;
    Py_ssize_t p = 0;
    while (p < n) {
        Py_UCS4 c0 = PyUnicode_READ(kind, data, p);
        if ((c0 < 128 && !first[c0]) || (p > 0 && word_or_hash(PyUnicode_READ(kind, data, p - 1)))) {
            p++;
            continue;
        }
        PyObject *node = trie;
        Py_ssize_t q = p, best = -1;
        for (;;) {
            PyObject *bounded = PyDict_GetItemWithError(node, end_key); /* borrowed: does the phrase end here */
            if (bounded) {
                int must = PyObject_IsTrue(bounded);
                if (must < 0)
                    goto fail;
                Py_UCS4 next = q < n ? PyUnicode_READ(kind, data, q) : ' ';
                if (!must || q == n || !(hash_ends ? word_or_hash(next) : Py_UNICODE_ISALNUM(next) || next == '_'))
                    best = q;
            } else if (PyErr_Occurred())
                goto fail;
            if (q == n)
                break;
            Py_UCS4 c = PyUnicode_READ(kind, data, q);
            PyObject *child;
            if (Py_UNICODE_ISSPACE(c)) {
                child = PyDict_GetItemWithError(node, space_key);
                while (q < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q)))
                    q++;
            } else {
                PyObject *ch = PyUnicode_FromOrdinal(c);
                if (!ch)
                    goto fail;
                child = PyDict_GetItemWithError(node, ch);
                Py_DECREF(ch);
                q++;
            }
            if (!child) {
                if (PyErr_Occurred())
                    goto fail;
                break;
            }
            if (!PyDict_Check(child)) {
                PyErr_SetString(PyExc_TypeError, "phrases: a trie of dicts");
                goto fail;
            }
            node = child;
        }
        if (best > p) {
            PyObject *span = Py_BuildValue("(nn)", p, best);
            if (!span || PyList_Append(out, span) < 0) {
                Py_XDECREF(span);
                goto fail;
            }
            Py_DECREF(span);
            p = best;
        } else
            p++;
    }
    Py_DECREF(end_key);
    Py_DECREF(space_key);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(end_key);
    Py_XDECREF(space_key);
    return NULL;
}

static PyObject *sentence_key(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "sentence_key: a str");
        return NULL;
    }
    return key_of(text);
}

/* The sentence raw[start + a : start + b] of a span (a, b), its offsets in *a and *b */
static PyObject *sentence_at(PyObject *raw, Py_ssize_t start, PyObject *span, Py_ssize_t *a, Py_ssize_t *b) {
    if (!PyArg_ParseTuple(span, "nn", a, b))
        return NULL;
    return PyUnicode_Substring(raw, start + *a, start + *b);
}

static PyObject *sentence_rows(PyObject *raw, Py_ssize_t start, PyObject *spans, PyObject *const *sets,
                               Py_ssize_t credit, Py_ssize_t shortest, Py_ssize_t opening);

static PyObject *keyed(PyObject *self, PyObject *args) {
    PyObject *raw, *spans;
    Py_ssize_t start;
    if (!PyArg_ParseTuple(args, "UnO!", &raw, &start, &PyList_Type, &spans))
        return NULL;
    return sentence_rows(raw, start, spans, NULL, 0, 0, 0);
}

static int word_char(Py_UCS4 c) { return c == '_' || Py_UNICODE_ISALNUM(c); }

static int apostrophe(Py_UCS4 c) { return c == '\'' || c == 0x2019; }

/* NAME_RUN's "[,:;]?(?:\s+|$)" at r: where it ends, or -1 */
static Py_ssize_t closes(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t r) {
    for (int mark = 1; mark >= 0; mark--) {
        Py_ssize_t e = r;
        if (mark) {
            if (e >= n || (s[e] != ',' && s[e] != ':' && s[e] != ';'))
                continue;
            e++;
        }
        if (e < n && Py_UNICODE_ISSPACE(s[e])) {
            while (e < n && Py_UNICODE_ISSPACE(s[e]))
                e++;
            return e;
        }
        if (e == n)
            return e;
    }
    return -1;
}

/* Where NAME_RUN's run of capitalised words that starts at p ends, or -1 */
static Py_ssize_t name_run(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t p) {
    Py_ssize_t q = p, end = -1;
    while (q < n && s[q] >= 'A' && s[q] <= 'Z' && !(q > 0 && (word_char(s[q - 1]) || apostrophe(s[q - 1])))) {
        Py_ssize_t r = q + 1, e = -1;
        while (r < n && (word_char(s[r]) || s[r] == '.' || s[r] == '&' || s[r] == '-'))
            r++;
        if (r < n && apostrophe(s[r])) {  /* "['’]s?" first, "s" taken first */
            if (r + 1 < n && s[r + 1] == 's')
                e = closes(s, n, r + 2);
            if (e < 0)
                e = closes(s, n, r + 1);
        }
        if (e < 0)
            e = closes(s, n, r);
        if (e < 0)
            break;
        q = end = e;
    }
    return end;
}

static PyObject *skeleton_of(PyObject *text, Py_ssize_t most) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), words = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)) &&
            (i == 0 || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i - 1))))
            words++;
    if (words > most)
        return PyUnicode_New(0, 0);
    Py_UCS4 *s = PyMem_Malloc((n + 1) * sizeof(Py_UCS4)), *t = PyMem_Malloc(2 * (n + 1) * sizeof(Py_UCS4));
    PyObject *out = NULL, *low = NULL;
    if (!s || !t) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t m = 0, k = 0;
    for (Py_ssize_t i = 0; i < n;) {  /* digits masked, a space appended */
        Py_UCS4 c = PyUnicode_READ(kind, data, i++);
        if (Py_UNICODE_ISDECIMAL(c)) {
            while (i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
                i++;
            c = '#';
        }
        s[m++] = c;
    }
    s[m++] = ' ';
    for (Py_ssize_t i = 0; i < m;) {  /* each run of capitalised words "C " */
        Py_ssize_t e = name_run(s, m, i);
        if (e > i) {
            t[k++] = 'C';
            t[k++] = ' ';
            i = e;
        } else
            t[k++] = s[i++];
    }
    PyObject *shaped = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t, k);
    if (!shaped)
        goto done;
    low = PyObject_CallMethod(shaped, "lower", NULL);
    Py_DECREF(shaped);
    if (!low)
        goto done;
    kind = PyUnicode_KIND(low);
    data = PyUnicode_DATA(low);
    n = PyUnicode_GET_LENGTH(low);
    Py_UCS4 *u = PyMem_Realloc(t, (n + 1) * sizeof(Py_UCS4));
    if (!u) {
        PyErr_NoMemory();
        goto done;
    }
    t = u;
    k = 0;
    int space = 0;
    for (Py_ssize_t i = 0; i < n; i++) {  /* whitespace collapsed */
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISSPACE(c)) {
            space = k > 0;
            continue;
        }
        if (space)
            t[k++] = ' ';
        space = 0;
        t[k++] = c;
    }
    int lower_words = 0;
    for (Py_ssize_t i = 0; i < k;) {  /* LOWER_WORD's runs */
        if (t[i] >= 'a' && t[i] <= 'z' && (i == 0 || !word_char(t[i - 1]))) {
            Py_ssize_t j = i;
            while (j < k && t[j] >= 'a' && t[j] <= 'z')
                j++;
            lower_words += j - i >= 2 && (j == k || !word_char(t[j]));
            i = j;
        } else
            i++;
    }
    out = lower_words >= 2 ? PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t, k) : PyUnicode_New(0, 0);
done:
    PyMem_Free(s);
    PyMem_Free(t);
    Py_XDECREF(low);
    return out;
}

static PyObject *skeleton(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t most;
    if (!PyArg_ParseTuple(args, "Un", &text, &most))
        return NULL;
    return skeleton_of(text, most);
}

/* features.head_of of a key's words (single spaces between them) */
static PyObject *head_of(PyObject *key, Py_ssize_t n) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(key), first = PyUnicode_FindChar(key, ' ', 0, len, 1);
    if (first == -2)
        return NULL;
    Py_ssize_t end0 = first < 0 ? len : first;
    Py_ssize_t colon = PyUnicode_FindChar(key, ':', 0, end0, 1);
    if (colon == -2)
        return NULL;
    if (colon >= 0)
        return PyUnicode_Substring(key, 0, colon + 1);
    if (n < 2)
        return PyUnicode_New(0, 0);
    Py_ssize_t second = PyUnicode_FindChar(key, ' ', end0 + 1, len, 1);
    if (second == -2)
        return NULL;
    Py_ssize_t end1 = second < 0 ? len : second;
    colon = PyUnicode_FindChar(key, ':', end0 + 1, end1, 1);
    if (colon == -2)
        return NULL;
    return PyUnicode_Substring(key, 0, colon >= 0 ? colon + 1 : end1);
}

/* features.tail_of of a key's words: its last two, the last without its closing marks */
static PyObject *tail_of(PyObject *key, Py_ssize_t n) {
    if (n < 2)
        return PyUnicode_New(0, 0);
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    Py_ssize_t len = PyUnicode_GET_LENGTH(key), last = PyUnicode_FindChar(key, ' ', 0, len, -1);
    if (last == -2)
        return NULL;
    Py_ssize_t before = PyUnicode_FindChar(key, ' ', 0, last, -1), end = len;
    if (before == -2)
        return NULL;
    while (end > last + 1) {
        Py_UCS4 c = PyUnicode_READ(kind, data, end - 1);
        if (c != '.' && c != '!' && c != '?' && c != 0x201D && c != '"' && c != 0x2019 && c != ')' && c != ']')
            break;
        end--;
    }
    if (end == last + 1)
        return PyUnicode_New(0, 0);
    return PyUnicode_Substring(key, before + 1, end);
}

static int add_new(PyObject *set, PyObject *item) {  /* set.add(item), the reference given up */
    if (!item)
        return -1;
    int r = PySet_Add(set, item);
    Py_DECREF(item);
    return r;
}

static PyObject *collect(PyObject *self, PyObject *args) {
    PyObject *raw, *spans, *found, *openings, *skeletons, *heads, *tails;
    Py_ssize_t start, most, opening, shortest;
    if (!PyArg_ParseTuple(args, "UnO!(O!O!O!O!O!)nnn", &raw, &start, &PyList_Type, &spans, &PySet_Type, &found,
                          &PySet_Type, &openings, &PySet_Type, &skeletons, &PySet_Type, &heads, &PySet_Type, &tails,
                          &most, &opening, &shortest))
        return NULL;
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(spans); j++) {
        Py_ssize_t a, b;
        PyObject *text = sentence_at(raw, start, PyList_GET_ITEM(spans, j), &a, &b);
        if (!text)
            return NULL;
        PyObject *key = key_of(text);
        if (!key) {
            Py_DECREF(text);
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key), n = len > 0;
        int kind = PyUnicode_KIND(key), bad = 0;
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t cut = -1;  /* where the opening's words end */
        for (Py_ssize_t i = 0; i < len; i++)
            if (PyUnicode_READ(kind, data, i) == ' ' && ++n == opening + 1)
                cut = i;
        if (3 <= n && n <= most)
            bad = PySet_Add(found, key) < 0;
        if (!bad && n > opening)
            bad = add_new(openings, PyUnicode_Substring(key, 0, cut)) < 0;
        if (!bad && n <= shortest) {
            bad = add_new(skeletons, skeleton_of(text, shortest)) < 0;
        }
        if (!bad)
            bad = add_new(heads, head_of(key, n)) < 0 || add_new(tails, tail_of(key, n)) < 0;
        Py_DECREF(text);
        Py_DECREF(key);
        if (bad)
            return NULL;
    }
    Py_RETURN_NONE;
}

/* item in set (a set or a frozenset): 1, 0, or -1 (an exception set); the reference to item given up */
static int holds(PyObject *set, PyObject *item) {
    if (!item)
        return -1;
    int r = PySet_Contains(set, item);
    Py_DECREF(item);
    return r;
}

/* Whether one of the word counts in lengths (a set of ints, or NULL) gives a part of key (n words; its spaces at
 * sp) in sentences: its first k words (from_start) or its last k, for k < n */
static int part_in(PyObject *key, Py_ssize_t n, const Py_ssize_t *sp, PyObject *lengths, int from_start,
                   PyObject *sentences) {
    if (!lengths)
        return 0;
    PyObject *it = PyObject_GetIter(lengths), *item;
    if (!it)
        return -1;
    int found = 0;
    while (!found && (item = PyIter_Next(it))) {
        Py_ssize_t k = PyLong_AsSsize_t(item);
        Py_DECREF(item);
        if (k == -1 && PyErr_Occurred())
            found = -1;
        else if (k >= 1 && k < n)
            found = holds(sentences, from_start ? PyUnicode_Substring(key, 0, sp[k - 1])
                                                : PyUnicode_Substring(key, sp[n - k - 1] + 1, PyUnicode_GET_LENGTH(key)));
    }
    Py_DECREF(it);
    return found < 0 || PyErr_Occurred() ? -1 : found;
}

/* Whether a rule of clean.sentence_spans could take the sentence text with key (see quiet): 1, 0, -1 */
static int loud(PyObject *text, PyObject *key, PyObject *const *sets, Py_ssize_t credit, Py_ssize_t shortest,
                Py_ssize_t opening, Py_ssize_t *n_out, Py_ssize_t *cut) {
    PyObject *sentences = sets[0], *openings = sets[1], *first = sets[2], *last = sets[3], *skeletons = sets[4],
             *heads = sets[5], *tails = sets[6];
    Py_ssize_t len = PyUnicode_GET_LENGTH(key), n = len > 0, small[64];
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    for (Py_ssize_t i = 0; i < len; i++)
        n += PyUnicode_READ(kind, data, i) == ' ';
    *n_out = n;
    if (!n)
        return 1;
    Py_ssize_t *sp = n - 1 <= 64 ? small : PyMem_Malloc((n - 1) * sizeof(Py_ssize_t)), m = 0;
    if (!sp) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++)
        if (PyUnicode_READ(kind, data, i) == ' ')
            sp[m++] = i;
    *cut = n > opening ? sp[opening - 1] : len;
    int r = 0;
    if (n <= credit) {
        r = 0;
        for (Py_ssize_t i = 0; i < len && !r; i++) {  /* "/" or "via" in the key */
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            r = c == '/' || (c == 'v' && i + 2 < len && PyUnicode_READ(kind, data, i + 1) == 'i' &&
                             PyUnicode_READ(kind, data, i + 2) == 'a');
        }
    }
    if (!r && PySet_GET_SIZE(skeletons) && n <= shortest)
        r = holds(skeletons, skeleton_of(text, shortest));
    if (!r && PySet_GET_SIZE(heads))
        r = holds(heads, head_of(key, n));
    if (!r && PySet_GET_SIZE(tails))
        r = holds(tails, tail_of(key, n));
    if (!r)
        r = PySet_Contains(sentences, key);
    if (!r)
        r = holds(openings, n > opening ? PyUnicode_Substring(key, 0, *cut) : PyUnicode_New(0, 0));
    if (!r) {
        PyObject *word = PyUnicode_Substring(key, n > 1 ? sp[n - 2] + 1 : 0, len);
        PyObject *lengths = word ? PyDict_GetItemWithError(last, word) : NULL;
        Py_XDECREF(word);
        r = !word || (!lengths && PyErr_Occurred()) ? -1 : part_in(key, n, sp, lengths, 0, sentences);
    }
    if (!r) {
        PyObject *word = PyUnicode_Substring(key, 0, n > 1 ? sp[0] : len);
        PyObject *lengths = word ? PyDict_GetItemWithError(first, word) : NULL;
        Py_XDECREF(word);
        r = !word || (!lengths && PyErr_Occurred()) ? -1 : part_in(key, n, sp, lengths, 1, sentences);
    }
    if (sp != small)
        PyMem_Free(sp);
    return r;
}

static PyObject *quiet(PyObject *self, PyObject *args) {
    PyObject *raw, *spans, *sets[7];
    Py_ssize_t start, credit, shortest, opening;
    if (!PyArg_ParseTuple(args, "UnO!(OOO!O!OOO)nnn", &raw, &start, &PyList_Type, &spans, &sets[0], &sets[1],
                          &PyDict_Type, &sets[2], &PyDict_Type, &sets[3], &sets[4], &sets[5], &sets[6], &credit,
                          &shortest, &opening))
        return NULL;
    for (int i = 0; i < 7; i++)
        if (i != 2 && i != 3 && !PyAnySet_Check(sets[i])) {
            PyErr_SetString(PyExc_TypeError, "quiet: sets of sentences, openings, skeletons, heads and tails");
            return NULL;
        }
    if (opening < 1) {
        PyErr_SetString(PyExc_ValueError, "quiet: an opening of one word or more");
        return NULL;
    }
    return sentence_rows(raw, start, spans, sets, credit, shortest, opening);
}

/* keyed's rows (sets NULL), or quiet's */
static PyObject *sentence_rows(PyObject *raw, Py_ssize_t start, PyObject *spans, PyObject *const *sets,
                               Py_ssize_t credit, Py_ssize_t shortest, Py_ssize_t opening) {
    Py_ssize_t count = PyList_GET_SIZE(spans);
    PyObject *out = PyList_New(count);
    if (!out)
        return NULL;
    for (Py_ssize_t j = 0; j < count; j++) {
        Py_ssize_t a, b, n, cut;
        PyObject *text = sentence_at(raw, start, PyList_GET_ITEM(spans, j), &a, &b);
        if (!text)
            goto fail;
        PyObject *key = key_of(text);
        if (!key) {
            Py_DECREF(text);
            goto fail;
        }
        int r = sets ? loud(text, key, sets, credit, shortest, opening, &n, &cut) : 0;
        Py_DECREF(text);
        PyObject *head = !sets || r < 0 ? NULL : r == 0 ? PyUnicode_Substring(key, 0, cut) : Py_NewRef(Py_None);
        if (sets && (r < 0 || !head)) {
            Py_XDECREF(head);
            Py_DECREF(key);
            goto fail;
        }
        PyObject *row = sets ? Py_BuildValue("(nnNN)", start + a, start + b, key, head)
                             : Py_BuildValue("(nnN)", start + a, start + b, key);
        if (!row)
            goto fail;
        PyList_SET_ITEM(out, j, row);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* 64-bit FNV-1a over a string's code points, then murmur3's finaliser: the same in every process and run */
static uint64_t stable_hash(PyObject *text) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= PyUnicode_READ(kind, data, i);
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static PyObject *hashes(PyObject *self, PyObject *keys) {
    PyObject *seq = PySequence_Fast(keys, "hashes: a sequence of str");
    if (!seq)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(uint64_t));
    if (out) {
        uint64_t *h = (uint64_t *)PyBytes_AS_STRING(out);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *key = PySequence_Fast_GET_ITEM(seq, i);
            if (!PyUnicode_Check(key)) {
                PyErr_SetString(PyExc_TypeError, "hashes: a sequence of str");
                Py_CLEAR(out);
                break;
            }
            h[i] = stable_hash(key);
        }
    }
    Py_DECREF(seq);
    return out;
}

static PyMethodDef methods[] = {
    {"sentence_key", sentence_key, METH_O, "sentence_key(text) -> str: see the module's source."},
    {"masked", masked, METH_O, "masked(text) -> str: see the module's source."},
    {"phrases", phrases, METH_VARARGS, "phrases(text, trie, hash_ends=True) -> list of (start, end): see the source."},
    {"keyed", keyed, METH_VARARGS, "keyed(raw, start, spans) -> list: see the module's source."},
    {"skeleton", skeleton, METH_VARARGS, "skeleton(text, most) -> str: see the module's source."},
    {"collect", collect, METH_VARARGS, "collect(raw, start, spans, sets, most, opening, short): see the source."},
    {"quiet", quiet, METH_VARARGS, "quiet(raw, start, spans, sets, credit, short, opening) -> list: see the source."},
    {"hashes", hashes, METH_O, "hashes(keys) -> bytes: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_keys", NULL, -1, methods};

PyMODINIT_FUNC PyInit__keys(void) { return PyModule_Create(&module); }
