"""scikit-learn's reference on autotune's exact split, with the protocol and grids of shared/reference/baselines.md.

Each family is tuned on its small grid by validation score (fit on train, scored on validation); the family's
validation-best setting is then scored on test. Prints one JSON object: every family's validation and test score,
the validation-selected family (what a user picking by validation would ship) and the best family on test.

Run: /usr/bin/python3 bench/sklearn/reference.py <task.json>
where task.json = {"file", "target", "task": "classification"|"regression", "kind": "tabular"|"image"|"text"|"series",
                   "features": [...] | null, "split": {"train": [...], "validation": [...], "test": [...]},
                   "horizon": H (series)}
Rows are 0-based data rows of the file (the header is not a row). Needs Debian's python3-sklearn (not part of CI).
"""
import csv
import json
import math
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def read_rows(path):
    if path.endswith(".jsonl"):
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.strip()]
        return list(rows[0].keys()), [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows]
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def is_number(value):
    try:
        float(value)
        return True
    except ValueError:
        return False


def tabular_matrices(rows, features, split):
    """Median imputation with missing indicators, one-hot categoricals, standard scaling: fitted on train only."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in features if all(r[c] == "" or is_number(r[c]) for r in rows)]
    categorical = [c for c in features if c not in numeric]

    def frame(indices):
        num = np.array([[float(rows[i][c]) if rows[i][c] != "" else np.nan for c in numeric] for i in indices], dtype=float)
        cat = np.array([[rows[i][c] for c in categorical] for i in indices], dtype=object).reshape(len(indices), len(categorical))
        return num, cat

    parts = {k: frame(v) for k, v in split.items()}
    num_pipe = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    cat_pipe = make_pipeline(SimpleImputer(strategy="most_frequent", missing_values=""), OneHotEncoder(handle_unknown="ignore"))
    n_num = len(numeric)

    def stacked(num, cat):
        return np.concatenate([num, cat], axis=1) if len(categorical) else num

    transformers = [("num", num_pipe, list(range(n_num)))]
    if categorical:
        transformers.append(("cat", cat_pipe, list(range(n_num, n_num + len(categorical)))))
    ct = ColumnTransformer(transformers, sparse_threshold=0)
    train = stacked(*parts["train"]).astype(object)
    ct.fit(train)
    return {k: np.asarray(ct.transform(stacked(*v).astype(object)), dtype=float) for k, v in parts.items()}


def tuned(families, x, y, score):
    """Each family's validation-best setting (ties: the first in grid order) and its test score."""
    out = {}
    for name, settings in families.items():
        best = None
        for setting, make in settings:
            model = make().fit(x["train"], y["train"])
            val = score(model, x["validation"], y["validation"])
            if best is None or val > best[0]:
                best = (val, setting, model)
        val, setting, model = best
        out[name] = {"setting": setting, "validation": val, "test": score(model, x["test"], y["test"])}
    return out


def classification_families():
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC

    return {
        "logistic": [(f"C={c}", lambda c=c: LogisticRegression(C=c, max_iter=5000)) for c in (0.01, 0.1, 1, 10, 100)],
        "random forest": [
            (f"max_features={m}", lambda m=m: RandomForestClassifier(300, max_features=m, random_state=0, n_jobs=1)) for m in ("sqrt", 0.5)
        ],
        "gradient boosting": [(f"lr={lr}", lambda lr=lr: HistGradientBoostingClassifier(learning_rate=lr, random_state=0)) for lr in (0.05, 0.1, 0.2)],
        "RBF SVM": [(f"C={c}", lambda c=c: SVC(C=c)) for c in (1, 10, 100)],
        "MLP": [
            (f"{h} alpha={a}", lambda h=h, a=a: MLPClassifier(h, alpha=a, early_stopping=True, max_iter=500, random_state=0))
            for h in ((100,), (256, 128))
            for a in (1e-4, 1e-2)
        ],
    }


def regression_families():
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import Ridge
    from sklearn.neural_network import MLPRegressor
    from sklearn.svm import SVR

    return {
        "ridge": [(f"alpha={a}", lambda a=a: Ridge(alpha=a)) for a in (0.01, 0.1, 1, 10, 100)],
        "random forest": [
            (f"max_features={m}", lambda m=m: RandomForestRegressor(300, max_features=m, random_state=0, n_jobs=1)) for m in ("sqrt", 0.5)
        ],
        "gradient boosting": [(f"lr={lr}", lambda lr=lr: HistGradientBoostingRegressor(learning_rate=lr, random_state=0)) for lr in (0.05, 0.1, 0.2)],
        "RBF SVR": [(f"C={c}", lambda c=c: SVR(C=c)) for c in (1, 10, 100)],
        "MLP": [
            (f"{h} alpha={a}", lambda h=h, a=a: MLPRegressor(h, alpha=a, early_stopping=True, max_iter=1000, random_state=0))
            for h in ((100,), (256, 128))
            for a in (1e-4, 1e-2)
        ],
    }


def text_families():
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    return {
        "TF-IDF + logistic": [(f"C={c}", lambda c=c: LogisticRegression(C=c, max_iter=3000)) for c in (0.01, 0.1, 1, 10, 100)],
        "TF-IDF + linear SVM": [(f"C={c}", lambda c=c: LinearSVC(C=c)) for c in (0.01, 0.1, 1, 10, 100)],
    }


def series_reference(values, horizon):
    """Seasonal naive and linear autoregressions on the log series (12 and 24 lags), recursive from one cut-off.
    Selection: each method forecasts the validation horizon from a model fitted before it; the chosen one is refitted
    on everything before the test cut-off and forecasts the test horizon. Scores are negated MAPE (higher is better)."""
    from sklearn.linear_model import LinearRegression

    logv = np.log(np.asarray(values, dtype=float))
    n = len(values)
    cut_val, cut_test = n - 2 * horizon, n - horizon

    def ar(lags):
        def forecast(history, steps):
            xs = np.array([history[t - lags : t] for t in range(lags, len(history))])
            model = LinearRegression().fit(xs, history[lags:])
            h = list(history)
            for _ in range(steps):
                h.append(float(model.predict(np.array(h[-lags:])[None, :])[0]))
            return np.array(h[-steps:])

        return forecast

    def seasonal(period):
        return lambda history, steps: np.array([history[len(history) - period + (k % period)] for k in range(steps)])

    def mape(pred_log, start):
        actual = np.asarray(values[start : start + horizon], dtype=float)
        return float(np.mean(np.abs(np.exp(pred_log) - actual) / np.abs(actual)))

    methods = {"seasonal naive (12)": seasonal(12), "autoregression, 12 lags": ar(12), "autoregression, 24 lags": ar(24)}
    out = {}
    for name, forecast in methods.items():
        val = -mape(forecast(logv[:cut_val], horizon), cut_val)
        test = -mape(forecast(logv[:cut_test], horizon), cut_test)
        out[name] = {"setting": "", "validation": val, "test": test}
    return out


def main():
    task = json.load(open(sys.argv[1]))
    columns, rows = read_rows(task["file"])
    split = task["split"]
    target = task["target"]
    if task["kind"] == "series":
        values = [float(r[target]) for r in rows if r[target] != ""]
        families = series_reference(values, task["horizon"])
    else:
        y = {k: np.array([rows[i][target] for i in v]) for k, v in split.items()}
        if task["task"] == "regression":
            y = {k: v.astype(float) for k, v in y.items()}
        features = task.get("features") or [c for c in columns if c != target]
        if task["kind"] == "text":
            from sklearn.feature_extraction.text import TfidfVectorizer

            text = features[0]
            vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            vectorizer.fit([rows[i][text] for i in split["train"]])
            x = {k: vectorizer.transform([rows[i][text] for i in v]) for k, v in split.items()}
            family_grid = text_families()
        else:
            x = tabular_matrices(rows, features, split)
            family_grid = classification_families() if task["task"] == "classification" else regression_families()
        if task["task"] == "classification":
            score = lambda m, xs, ys: float(np.mean(m.predict(xs) == ys))
        else:
            from sklearn.metrics import r2_score

            score = lambda m, xs, ys: float(r2_score(ys, m.predict(xs)))
        families = tuned(family_grid, x, y, score)
    selected = max(families, key=lambda name: families[name]["validation"])
    best = max(families, key=lambda name: families[name]["test"])
    print(
        json.dumps(
            {
                "families": families,
                "selected": {"family": selected, **families[selected]},
                "best": {"family": best, **families[best]},
            }
        )
    )


if __name__ == "__main__":
    main()
