// SPDX-License-Identifier: GPL-3.0-or-later
// The golden checks proper; `tol` is relative (with a tiny absolute floor) for floats, and
// quantized values, registers, bits and EBOPs are compared exactly.
#pragma once
#include "golden_common.h"

namespace hgq::test {

inline void check_dense_forward(Comparator& c, Comparator& exact, Dense& d, const Mat& out,
                                const nlohmann::json& g, const std::string& L, bool training) {
    if (training) {
        // The Gram path (dense_gram.cpp: dense1, 4 → 6) never forms z0; its statistics are
        // checked below, and every gradient after them.
        if (!d.gram_statistics()) c.check(L + ".z0", d.z0, g["z0"]);
        c.check(L + ".batch_mean_z0", row(d.mean0), g["batch_mean_z0"]);
        c.check(L + ".batch_var_z0", row(d.var0), g["batch_var_z0"]);
    }
    c.check(L + ".bn_scale", row(d.bn_s), g["bn_scale"]);
    c.check(L + ".kernel_fused", d.Wf, g["kernel_fused"]);
    exact.check(L + ".kernel_q", d.Wq, g["kernel_q"]);
    c.check(L + ".bias_fused", row(d.bias_f), g["bias_fused"]);
    exact.check(L + ".bias_q", row(d.bq), g["bias_q"]);
    const Mat zq = d.relu() ? Mat() : out;
    if (!d.relu())
        exact.check(L + ".z_q", out, g["z_q"]);
    else
        exact.check(L + ".out", out, g["out"]);
    exact.check(L + ".min", row(d.output_q.reg_min()), g["min"]);
    exact.check(L + ".max", row(d.output_q.reg_max()), g["max"]);
}

// `gram`: whether dense1 (4 → 6) takes its batch statistics from xᵀx, as by default.
inline void check_step1(Comparator& c, Comparator& exact, const nlohmann::json& g,
                        bool gram = true) {
    Model m = golden_model(g, g["initial_parameters"]);
    set_gram_statistics(m, gram);
    const auto labels = golden_labels(g);
    const Mat x = to_mat(g["inputs"]["x"]);
    ForwardContext ctx{true, true, 1, 0};
    m.forward(x, ctx);
    const auto& f = g["step1"]["forward"];
    exact.check("input.x_q", m.activation(1), f["input"]["x_q"]);
    auto& in_q = *m.layers()[0]->output_quantizer();
    exact.check("input.min", row(in_q.reg_min()), f["input"]["min"]);
    exact.check("input.max", row(in_q.reg_max()), f["input"]["max"]);
    exact.check("input.bits", row(in_q.activation_bits()), f["input"]["bits"]);
    for (int l = 1; l <= 2; ++l) {
        const std::string L = "dense" + std::to_string(l);
        auto& d = dynamic_cast<Dense&>(*m.layers()[l]);
        check_dense_forward(c, exact, d, m.activation(l + 1), f[L], L, true);
    }
    exact.check("logits", m.logits(), f["logits"]);

    const auto& lj = g["step1"]["loss"];
    const Scalar beta = Scalar(g["config"]["beta"].get<double>());
    const Scalar gamma = Scalar(g["config"]["gamma"].get<double>());
    LossTerms t = m.loss(labels.data(), beta, gamma, true, 1);
    c.check("loss.cross_entropy", t.cross_entropy, lj["cross_entropy"]);
    exact.check("loss.ebops", t.ebops, lj["ebops"]);
    c.check("loss.sum_F (γ)", t.gamma_sum_F, lj["gamma_sum_F"]);
    c.check("loss.total", t.total, lj["total"]);
    exact.check("dense1.kernel_bits", dynamic_cast<Dense&>(*m.layers()[1]).kernel_bits,
                f["dense1"]["kernel_bits"]);
    exact.check("dense1.bits", row(m.layers()[1]->output_quantizer()->activation_bits()),
                f["dense1"]["bits"]);
    const auto& s1 = g["step1"];
    const GradMap total = grads_of(m, s1["grad_total"]);
    m.loss(labels.data(), 0, 0, true, 1);
    const GradMap task = grads_of(m, s1["grad_task"]);
    m.loss(labels.data(), beta, 0, true, 1);
    const GradMap beta_part = minus(grads_of(m, s1["grad_task"]), task);
    m.loss(labels.data(), 0, gamma, true, 1);
    const GradMap gamma_part = minus(grads_of(m, s1["grad_task"]), task);
    check_grads(c, total, "grad_total", s1["grad_total"]);
    check_grads(c, task, "grad_task", s1["grad_task"]);
    // The parts are differences of two gradients: an absolute floor of the task's size applies.
    Comparator parts{c.rel_tol, c.abs_tol + (sizeof(Scalar) == 4 ? 1e-6 : 1e-15)};
    check_grads(parts, beta_part, "grad_beta_ebops", s1["grad_beta_ebops"]);
    check_grads(parts, gamma_part, "grad_gamma_l1", s1["grad_gamma_l1"]);
    c.failures += parts.failures;
}

inline void check_keras_trajectory(Comparator& c, Comparator& exact, const nlohmann::json& g,
                                   bool gram = true) {
    Model m = golden_model(g, g["initial_parameters"]);
    set_gram_statistics(m, gram);
    const auto labels = golden_labels(g);
    const Mat x = to_mat(g["inputs"]["x"]);
    const auto& a = g["config"]["adam"];
    Adam adam({a["lr"].get<double>(), a["beta1"].get<double>(), a["beta2"].get<double>(),
               a["epsilon"].get<double>()});
    const Scalar beta = Scalar(g["config"]["beta"].get<double>());
    const Scalar gamma = Scalar(g["config"]["gamma"].get<double>());
    for (const auto& step : g["keras_epsilon_variant"]["steps"]) {
        const std::string S = "step" + std::to_string(step["step"].get<int>());
        m.forward(x, ForwardContext{true, true, 1, 0});
        LossTerms t = m.loss(labels.data(), beta, gamma, true, 1);
        c.check(S + " total_loss", t.total, step["total_loss"]);
        c.check(S + " cross_entropy", t.cross_entropy, step["cross_entropy"]);
        exact.check(S + " ebops", t.ebops, step["ebops"]);
        adam.step(m.params(), a["lr"].get<double>());
        check_params(c, m, S + " after", step["parameters_after"]);
    }
}

inline void check_trace(Comparator& c, Comparator& exact, const nlohmann::json& g) {
    const auto& at = g["after_training"];
    Model m = golden_model(g, at["parameters"]);
    trace_minmax(m, to_mat(g["inputs"]["x"]), 8, 1);
    const auto& tr = at["inference_trace"];
    exact.check("trace input.x_q", m.activation(1), tr["input"]["x_q"]);
    const auto bits = exact_bits(m);
    auto types_check = [&](const std::string& L, const std::vector<FixedType>& ts,
                           const nlohmann::json& j) {
        std::vector<int> k, i, f, b;
        for (const auto& t : ts)
            k.push_back(t.k), i.push_back(t.i), f.push_back(t.f), b.push_back(t.bits());
        exact.check(L + ".k", as_mat(k), j["k"]);
        exact.check(L + ".i", as_mat(i), j["i"]);
        exact.check(L + ".f", as_mat(f), j["f"]);
        exact.check(L + ".bits", as_mat(b), j["bits"]);
    };
    types_check("trace input", bits[0].out_types, tr["input"]);
    for (int l = 1; l <= 2; ++l) {
        const std::string L = "dense" + std::to_string(l);
        auto& d = dynamic_cast<Dense&>(*m.layers()[l]);
        check_dense_forward(c, exact, d, m.activation(l + 1), tr[L], "trace " + L, false);
        types_check("trace " + L, bits[l].out_types, tr[L]);
        Mat kb(d.Wq.rows(), d.Wq.cols());
        for (Eigen::Index e = 0; e < kb.size(); ++e) kb.data()[e] = Scalar(bits[l].kernel_bits[e]);
        exact.check("trace " + L + ".kernel_exact_bits", kb, tr[L]["kernel_exact_bits"]);
        exact.check("trace " + L + ".ebops_exact", double(bits[l].ebops), tr[L]["ebops_exact"]);
    }
    exact.check("trace ebops_exact_total", double(exact_ebops(m)), tr["ebops_exact_total"]);
}

}  // namespace hgq::test
