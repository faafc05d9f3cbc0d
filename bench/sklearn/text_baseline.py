"""scikit-learn's text baseline on autotune's exact split: TF-IDF of word 1-2-grams (min_df 2, sublinear tf) with
logistic regression and a linear SVM, C chosen on validation, as shared/reference/baselines.md describes.

Run: node dist/bench/export-split.js datasets/austen_passages.jsonl label 3 > /tmp/split.json
     /usr/bin/python3 bench/sklearn/text_baseline.py datasets/austen_passages.jsonl /tmp/split.json
Needs Debian's python3-sklearn (not part of CI)."""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

rows = [json.loads(line) for line in open(sys.argv[1])]
split = json.load(open(sys.argv[2]))
texts = [r["text"] for r in rows]
labels = [r["label"] for r in rows]
part = {k: ([texts[i] for i in split[k]], [labels[i] for i in split[k]]) for k in ("train", "validation", "test")}
vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
x_train = vectorizer.fit_transform(part["train"][0])
x_val, x_test = (vectorizer.transform(part[k][0]) for k in ("validation", "test"))
print("vocabulary", len(vectorizer.vocabulary_))
for name, make in (("logistic", lambda c: LogisticRegression(C=c, max_iter=3000)), ("linear SVM", lambda c: LinearSVC(C=c))):
    scored = []
    for c in (0.01, 0.1, 1, 10, 100):
        model = make(c).fit(x_train, part["train"][1])
        scored.append((model.score(x_val, part["validation"][1]), c, model.score(x_test, part["test"][1])))
    val, c, test = max(scored, key=lambda s: (s[0], -s[1]))
    print(f"{name}: C={c} validation {val:.3f} test {test:.3f}")
