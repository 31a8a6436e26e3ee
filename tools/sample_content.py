"""Original, fictional content of the bundled offline snapshot (November 2026), one dict per feed entry.

Everything here was written for jianbao. Names of real outlets and labs appear only as the feed's source
identity; every event, model version, paper, repository and number is invented.
"""

from __future__ import annotations

import hashlib
from typing import Any

SNAPSHOT_DATE = "2026-11-20"

Entry = dict[str, Any]


def _h(text: str, n: int = 32) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def _p(*paras: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def _mmbiz(seed: str, ext: str = "png") -> str:
    return f"https://mmbiz.qpic.cn/mmbiz_{ext}/{_h(seed, 40)}/640?wx_fmt={ext}&amp;from=appmsg"


def _wximg(seed: str, ext: str = "png") -> str:
    url = _mmbiz(seed, ext)
    return f'<p style="text-align: center;"><img data-src="{url}" src="{url}" data-ratio="0.5625" data-w="1080"/></p>'


def _wx(biz: str, mid: int, idx: int, seed: str, tail: str = "#rd") -> str:
    """A classic long-form WeChat article link; ``sn`` identifies the article, the rest is tracking."""
    return (
        f"https://mp.weixin.qq.com/s?__biz={biz}&mid={mid}&idx={idx}&sn={_h(seed)}"
        f"&chksm={_h('chk' + seed + tail, 60)}{tail}"
    )


def _wxs(seed: str) -> str:
    """The short link form wewe-rss emits."""
    return "https://mp.weixin.qq.com/s/" + hashlib.sha256(seed.encode()).hexdigest()[:22]


# ---------------------------------------------------------------------------------------------------------
# 机器之心 — RSS 2.0 as RSSHub renders a 公众号 (full body in content:encoded), +0800
# ---------------------------------------------------------------------------------------------------------

_JQZX_BIZ = "MzA3MzI4MjgzMw=="

# Shared with 集智书童 (story S8): the same article, different tracking parameters.
DIFFUSION_WX_SEED = "jqzx-diffusion-distill-4step"
DIFFUSION_WX_MID = 2651002317


def _jqzx_body(seed: str, editor: str, paras: list[str], links: list[str] | None = None) -> str:
    head = _p("机器之心报道", f"编辑：{editor}") + _wximg(seed + "-head")
    body = _p(*paras[:2]) + _wximg(seed + "-fig1") + _p(*paras[2:])
    tail = _p(*(links or [])) + _p(
        "© THE END",
        "转载请联系本公众号获得授权",
        "投稿或寻求报道：content@jiqizhixin.example",
    )
    return head + body + tail


def jiqizhixin() -> dict[str, Any]:
    def e(
        d: str, t: str, seed: str, editor: str, paras: list[str], links: list[str] | None = None, **kw: Any
    ) -> Entry:
        mid = DIFFUSION_WX_MID if seed == DIFFUSION_WX_SEED else 2651000000 + int(_h(seed, 6), 16) % 9000
        entry = {
            "d": d,
            "t": t,
            "l": _wx(_JQZX_BIZ, mid, 1, seed),
            "author": "机器之心",
            "desc": paras[0],
            "body": _jqzx_body(seed, editor, paras, links),
        }
        entry.update(kw)
        return entry

    seed_coder = e(
        "2026-11-14T18:20:00+08:00",
        "字节 Seed 开源 Seed-Coder-2：仓库级代码推理，14B 模型超过上一代 70B",
        "jqzx-seed-coder-2",
        "杜伟、陈陈",
        [
            "11 月 14 日，字节跳动 Seed 团队开源了代码模型 Seed-Coder-2 系列，包括 3B、14B 和 32B 三个尺寸，均采用 Apache-2.0 协议。",
            "与上一代相比，Seed-Coder-2 的重点从「单文件补全」转向「仓库级推理」：训练数据中加入了大量跨文件调用图和真实 PR 修改轨迹，模型在读取整个仓库上下文后再给出修改方案。",
            "在团队自建的 RepoBench-Live 上，14B 版本得分 61.8，超过上一代 70B 模型的 58.2；在 SWE-bench Verified 上，32B 版本配合开源 Agent 框架达到 57.6%。",
            "团队同时放出了 1.2T token 的数据清洗流水线，方便社区复现。不过有开发者指出，模型在 Rust 和 Haskell 等小语种上仍有明显短板。",
        ],
        [
            "代码：https://github.com/ByteDance-Seed/Seed-Coder-2",
            "模型：https://huggingface.co/ByteDance-Seed/Seed-Coder-2-14B-Instruct",
        ],
        cats=["开源", "代码模型"],
    )
    entries: list[Entry] = [
        e(
            "2026-11-20T08:12:00+08:00",
            "GPT-5.7 正式发布：SWE-bench Verified 达 81.4%，API 价格下调 40%",
            "jqzx-gpt-5-7",
            "泽南、+0",
            [
                "北京时间 11 月 20 日凌晨，OpenAI 发布新一代旗舰模型 GPT-5.7，并同步向 ChatGPT Plus、Pro 与 API 用户开放。",
                "官方公布的数据显示，GPT-5.7 在 SWE-bench Verified 上达到 81.4%，比 GPT-5.5 提升 6.2 个百分点；在 GPQA Diamond 上得分 89.1%。模型默认支持 100 万 token 上下文，并新增「自适应思考」档位，简单问题几乎不消耗推理 token。",
                "价格方面，GPT-5.7 的输入价格为每百万 token 1.5 美元、输出 12 美元，较上一代下调约 40%。OpenAI 表示，这主要得益于新一代推理集群和更激进的投机解码。",
                "值得注意的是，OpenAI 这次同步发布了长达 86 页的系统卡，重点讨论了模型在网络安全评测中的能力边界，并将其评为「高」风险等级中的可控档位。",
                "从社区的早期反馈看，GPT-5.7 在长链路 Agent 任务中的稳定性提升最为明显，但也有开发者反映其中文写作风格仍偏「翻译腔」。",
            ],
            ["参考链接：https://openai.com/index/introducing-gpt-5-7/"],
            cats=["大模型", "OpenAI"],
        ),
        e(
            "2026-11-20T10:30:00+08:00",
            "腾讯混元 Hunyuan-T3 发布：万亿参数推理模型，C-Eval 与 AIME 双榜第一",
            "jqzx-hunyuan-t3",
            "张倩",
            [
                "11 月 20 日，腾讯在混元技术开放日上发布了推理模型 Hunyuan-T3，总参数量 1.2 万亿，激活参数 52B。",
                "Hunyuan-T3 采用 Hybrid-Mamba-Transformer 混合架构，在长思维链场景下的解码吞吐比纯 Transformer 方案高出约 2.3 倍。",
                "评测方面，T3 在 C-Eval 上得分 93.6，在 AIME 2026 上达到 91.2%。腾讯表示，模型已在元宝、腾讯文档和微信读书中灰度上线。",
                "腾讯云同步宣布，T3 API 首月免费，之后按每百万 token 输入 2 元、输出 8 元计费。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-20T07:30:00+08:00",
            "Meta 公开 Llama 5 Scout 技术报告：原生多模态、1000 万上下文是怎么训出来的",
            "jqzx-llama5-scout",
            "Panda",
            [
                "Meta 在 11 月 19 日晚间公开了 Llama 5 Scout 的完整技术报告，全文 92 页，详细介绍了从预训练到后训练的全部流程。",
                "报告最受关注的部分是长上下文：团队在预训练末期使用了名为 iRoPE-2 的位置编码插值方案，并配合分块注意力，把有效上下文扩展到 1000 万 token。",
                "在多模态方面，Llama 5 Scout 采用早期融合，图像、视频帧与文本 token 在同一个序列中训练，而不是外挂视觉编码器。",
                "报告也坦承了不足：在「大海捞针」之外的长文档推理任务上，模型在超过 200 万 token 后准确率明显下降。",
            ],
            ["论文地址：https://arxiv.org/abs/2611.07702"],
            cats=["大模型", "Meta"],
        ),
        e(
            "2026-11-19T21:40:00+08:00",
            "Qwen3.9 全系开源：从 0.8B 到 480B-A35B，阿里通义再刷开源榜单",
            "jqzx-qwen3-9",
            "陈萍、小舟",
            [
                "11 月 19 日晚，阿里通义千问团队开源了 Qwen3.9 系列模型，共 8 个尺寸，最小 0.8B，最大为 480B 总参数、35B 激活参数的 MoE 模型 Qwen3.9-480B-A35B。",
                "Qwen3.9 延续了「思考/非思考」一体化设计，并首次在全系支持 262K 原生上下文。官方评测显示，480B-A35B 在 LiveCodeBench v7 上得分 78.9，在 Arena-Hard v3 上得分 91.3，整体接近 GPT-5.7 的水平。",
                "端侧方面，Qwen3.9-0.8B 和 4B 两个模型针对手机 NPU 做了量化感知训练，INT4 版本在骁龙 8 Gen 6 上可达每秒 38 token。",
                "全部权重以 Apache-2.0 协议发布在 Hugging Face 与魔搭社区，上线 6 小时下载量即突破 20 万次。",
            ],
            ["代码：https://github.com/QwenLM/Qwen3.9", "模型：https://modelscope.cn/collections/Qwen3.9"],
            cats=["开源", "大模型"],
        ),
        e(
            "2026-11-19T18:00:00+08:00",
            "昇腾 950 超节点训练 MoE 实测：8192 卡 MFU 达 52%，通信开销降到 9%",
            "jqzx-ascend-950",
            "蛋酱",
            [
                "在 11 月 19 日的华为全联接大会分论坛上，昇腾团队公布了基于昇腾 950 超节点训练千亿 MoE 模型的实测数据。",
                "在 8192 卡规模下，整体 MFU 达到 52%，其中专家并行的 all-to-all 通信开销被压缩到 9%。团队将这一结果归功于新的「通算融合」算子和超节点内 UB 高速互联。",
                "华为同时宣布 MindSpeed-MoE 训练框架开源，代码托管在 Gitee。",
            ],
            ["代码：https://gitee.com/ascend/MindSpeed-MoE"],
            cats=["算力"],
        ),
        e(
            "2026-11-19T12:05:00+08:00",
            "边看边动：StreamVLA 让机器人在视频流中实时规划动作，端到端延迟降至 38ms",
            "jqzx-streamvla",
            "+0、佳琪",
            [
                "视觉-语言-动作（VLA）模型通常按「拍一张图、想一会儿、动一下」的方式工作，动作频率很难超过 10Hz。上海交大具身智能团队的新工作 StreamVLA 试图打破这一限制。",
                "StreamVLA 把视觉输入当作连续的视频流处理，引入了「流式 KV 缓存」和「动作草稿头」：模型一边接收新帧，一边基于旧的推理结果先输出动作草稿，再用新帧增量修正。",
                "在真机实验中，StreamVLA 在 7B 规模下实现了 26Hz 的控制频率，端到端延迟 38ms，在叠衣服、倒水等 12 项长程任务上的成功率比 OpenVLA-2 高出 17.5 个百分点。",
                "作者表示代码与模型权重已全部开源。",
            ],
            [
                "论文标题：StreamVLA: Streaming Vision-Language-Action Models for Real-Time Robot Control",
                "论文地址：https://arxiv.org/pdf/2611.04417v2.pdf",
                "代码：https://github.com/sjtu-embodied/StreamVLA",
                "项目主页：https://sjtu-embodied.github.io/StreamVLA/",
            ],
            cats=["具身智能", "论文"],
        ),
        e(
            "2026-11-19T09:00:00+08:00",
            "2026 机器之心 AI 开发者大会议程公布：12 月上海见",
            "jqzx-devcon-2026",
            "机器之心",
            [
                "2026 机器之心 AI 开发者大会将于 12 月 12 日至 13 日在上海举办，主题为「Agent 落地的最后一公里」。",
                "大会设置主论坛与推理优化、具身智能、AI for Science 三个分论坛，目前已确认 40 余位演讲嘉宾。",
                "早鸟票限时 5 折，点击阅读原文即可报名。",
            ],
            cats=["活动"],
        ),
        e(
            "2026-11-18T20:15:00+08:00",
            "智谱发布 GLM-5.4：原生 256K 上下文，Agent 任务对标 Claude Opus 5",
            "jqzx-glm-5-4",
            "Sia",
            [
                "11 月 18 日，智谱发布新一代基座模型 GLM-5.4，并同步开源 GLM-5.4-Air（106B-A12B）。",
                "GLM-5.4 原生支持 256K 上下文，在 BrowseComp-ZH 和 τ²-bench 等 Agent 评测中与 Claude Opus 5 基本持平。",
                "智谱表示，GLM-5.4 的训练中有约 30% 的算力用于强化学习阶段，这一比例是上一代的三倍。",
            ],
            ["代码：https://github.com/zai-org/GLM-5.4"],
            cats=["大模型"],
        ),
        e(
            "2026-11-17T16:40:00+08:00",
            "斯坦福 CS336 2026 秋季课程视频全部上线：从零训练一个语言模型",
            "jqzx-cs336",
            "小舟",
            [
                "斯坦福大学 CS336《从零开始的语言模型》2026 秋季学期的 18 节课视频已全部免费公开。",
                "课程覆盖分词器、Transformer 实现、GPU 编程与 Triton、并行训练、缩放定律、数据清洗、对齐与 RL 等内容，五次大作业要求学生从零写出一个可训练的 1B 模型。",
                "今年新增了「推理系统」与「Agent 评测」两讲，课程作业代码同样开源。",
            ],
            [
                "课程主页：https://stanford-cs336.github.io/fall2026/",
                "作业代码：https://github.com/stanford-cs336/assignment1-basics",
            ],
            cats=["福利", "课程"],
        ),
        e(
            "2026-11-16T11:00:00+08:00",
            "DeepSeek V4.1 低调上线：推理成本再降一半，MoE 路由代码首次开源",
            "jqzx-deepseek-v4-1",
            "泽南",
            [
                "周日上午，DeepSeek 在官网和 API 中悄然上线了 DeepSeek V4.1，没有发布会，只有一篇简短的更新说明。",
                "更新说明显示，V4.1 沿用 V4 的 1.6T 总参数 MoE 架构，但引入了新的「稀疏注意力 + 共享专家」组合，长上下文推理成本较 V4 下降约 50%。",
                "API 价格随之调整为每百万 token 输入 0.5 元（缓存命中 0.1 元）、输出 3 元。",
                "同时开源的还有 MoE 负载均衡路由的 CUDA 实现 DeepEP-Router。",
            ],
            ["代码：https://github.com/deepseek-ai/DeepEP-Router"],
            cats=["大模型", "DeepSeek"],
        ),
        e(
            "2026-11-15T19:30:00+08:00",
            "ICLR 2027 投稿量突破 3.1 万：每位审稿人平均要看 6 篇",
            "jqzx-iclr-2027",
            "陈陈",
            [
                "ICLR 2027 的投稿窗口已经关闭，组委会公布的有效投稿数为 31,472 篇，比去年增长 62%。",
                "大语言模型、Agent 与具身智能是投稿最多的三个方向，合计占比超过 45%。",
                "为应对审稿压力，今年 ICLR 首次允许审稿人在遵守保密规则的前提下使用指定的大模型辅助撰写意见。",
            ],
            cats=["学术"],
        ),
        seed_coder,
        e(
            "2026-11-13T10:10:00+08:00",
            "一文看懂扩散模型蒸馏：从一致性模型到 4 步采样的 RectiFlow-D",
            DIFFUSION_WX_SEED,
            "Panda",
            [
                "扩散模型生成质量高，但动辄几十步的采样让它在实时场景中很难落地。过去两年，蒸馏成为加速采样的主流路线。",
                "本文梳理了一致性模型（CM）、分布匹配蒸馏（DMD）与整流流（Rectified Flow）三条技术线，并重点介绍本周新论文 RectiFlow-D。",
                "RectiFlow-D 把轨迹蒸馏与对抗损失结合起来，在 ImageNet 512×512 上用 4 步采样达到 FID 1.92，与 50 步教师模型几乎持平。",
                "作者还给出了在视频扩散模型上的初步结果：4 步生成 5 秒 720p 视频，单卡 H200 耗时 3.1 秒。",
            ],
            ["论文地址：https://arxiv.org/abs/2611.02291", "代码：https://github.com/pku-vilab/RectiFlow-D"],
            cats=["论文", "生成模型"],
        ),
        e(
            "2026-11-12T09:45:00+08:00",
            "World Labs 发布 Marble 2：一张图生成可交互的 3D 世界",
            "jqzx-marble-2",
            "杨文",
            [
                "李飞飞创办的 World Labs 发布了 Marble 2，可以从单张图片或一句话生成可自由行走的 3D 场景，并导出为高斯泼溅或网格格式。",
                "相比第一代，Marble 2 的场景范围扩大了 4 倍，且支持在场景中添加物理属性，方便导入游戏引擎和机器人仿真器。",
            ],
            cats=["3D", "生成模型"],
        ),
        e(
            "2026-11-11T13:00:00+08:00",
            "双十一背后的生成式推荐：阿里妈妈如何用大模型扛住每秒 80 万次请求",
            "jqzx-double11-genrec",
            "蛋酱",
            [
                "今年双十一，阿里妈妈首次在主搜和首页推荐中全量上线生成式推荐模型 LUM-2。",
                "团队介绍，LUM-2 把用户行为序列直接作为 token 输入，用 3B 参数的解码器生成候选商品的语义 ID，峰值 QPS 达到 80 万。",
                "为降低延迟，团队使用了 KV 缓存复用和多级语义 ID 剪枝，P99 延迟控制在 28ms 以内。",
            ],
            cats=["产业"],
        ),
        e(
            "2026-11-10T15:20:00+08:00",
            "CVPR 2027 截稿前冲刺：这 10 个开源代码库值得收藏",
            "jqzx-cvpr-codebases",
            "机器之心编辑部",
            [
                "CVPR 2027 的截稿日期是 11 月 14 日。我们整理了 10 个在视觉方向被广泛使用的开源代码库，方便大家在最后一周做实验。",
                "其中包括检测框架 Detectron3、分割基座 SAM 3.1、视频理解工具箱 VideoMAE-X，以及多模态评测工具 VLMEvalKit 等。",
                "每个代码库我们都附上了推荐的入门配置和常见坑。",
            ],
            [
                "Detectron3：https://github.com/facebookresearch/detectron3",
                "VLMEvalKit：https://github.com/open-compass/VLMEvalKit",
                "SAM 3.1：https://github.com/facebookresearch/sam3",
            ],
            cats=["福利", "开源"],
        ),
        e(
            "2026-11-08T14:00:00+08:00",
            "苹果发布 MLX 0.40：M5 Max 上跑 70B 模型每秒 45 token",
            "jqzx-mlx-040",
            "杜伟",
            [
                "苹果机器学习研究团队发布了 MLX 0.40，新增对 M5 系列神经加速器的支持。",
                "在 M5 Max（128GB）上，4-bit 量化的 70B 模型解码速度达到每秒 45 token，比 M4 Max 快约 1.8 倍。",
            ],
            ["代码：https://github.com/ml-explore/mlx"],
            cats=["开源", "端侧"],
        ),
        e(
            "2026-11-07T17:30:00+08:00",
            "北大开源 MathCoder-R：7B 小模型也能做奥赛几何证明",
            "jqzx-mathcoder-r",
            "陈萍",
            [
                "北京大学团队提出 MathCoder-R，让模型先把几何题翻译成形式化代码，再调用符号求解器验证每一步推理。",
                "7B 版本在 IMO-AG-50 几何基准上解出 41 题，超过此前的开源最好成绩。",
            ],
            ["论文地址：https://arxiv.org/abs/2611.00877", "代码：https://github.com/pku-math/MathCoder-R"],
            cats=["论文"],
        ),
        e(
            "2026-10-28T20:00:00+08:00",
            "OpenAI DevDay 2026 回顾：Agent SDK 2.0、实时 API 降价与 Apps in ChatGPT",
            "jqzx-devday-2026",
            "泽南",
            [
                "10 月 28 日的 OpenAI DevDay 上，OpenAI 发布了 Agent SDK 2.0，并宣布实时语音 API 价格下调 60%。",
                "本文整理了开发者最关心的六项更新。",
            ],
            cats=["OpenAI"],
        ),
    ]
    # Planted: the Seed-Coder-2 item appears twice, verbatim (RSSHub sometimes repeats an item).
    entries.append(dict(seed_coder))
    return {
        "name": "jiqizhixin",
        "title": "机器之心",
        "file": "jiqizhixin.xml",
        "format": "rss",
        "region": "中文圈",
        "weight": 1.2,
        "language": "zh-cn",
        "link": "https://www.jiqizhixin.com/",
        "self": "https://rsshub.app/wechat/mp/MzA3MzI4MjgzMw==",
        "description": "专业的人工智能媒体和产业服务平台 - Powered by RSSHub",
        "generator": "RSSHub",
        "image": _mmbiz("jqzx-avatar"),
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# 量子位 — Atom as wewe-rss renders a 公众号 (short /s/ links, UTC "Z" timestamps)
# ---------------------------------------------------------------------------------------------------------


def _qbit_body(seed: str, author: str, paras: list[str], links: list[str] | None = None) -> str:
    head = _p(f"{author} 发自 凹非寺", "量子位 | 公众号 QbitAI") + _wximg(seed + "-head", "jpeg")
    body = _p(*paras[:1]) + _wximg(seed + "-fig1") + _p(*paras[1:])
    tail = _p(*(links or [])) + _p(
        "— 完 —",
        "扫码加入交流群，与 5000+ AI 从业者一起交流前沿进展",
        "「AI 产品榜」11 月榜单申报中，点击阅读原文了解详情",
        "点亮星标，科技前沿进展每日见",
    )
    return head + body + tail


def qbitai() -> dict[str, Any]:
    def e(
        d: str, t: str, seed: str, author: str, paras: list[str], links: list[str] | None = None, **kw: Any
    ) -> Entry:
        entry = {
            "d": d,
            "t": t,
            "l": _wxs(seed),
            "author": author,
            "desc": paras[0],
            "body": _qbit_body(seed, author, paras, links),
        }
        entry.update(kw)
        return entry

    entries: list[Entry] = [
        e(
            "2026-11-20T02:15:00Z",
            "Gemini 3.8 Flash 来了：速度翻倍价格腰斩，谷歌把 Flash 做成了主力",
            "qbit-gemini-3-8-flash",
            "鱼羊",
            [
                "谷歌又把「小杯」卷出了新高度。北京时间今天上午，Gemini 3.8 Flash 正式上线 Gemini App、AI Studio 和 Vertex AI。",
                "按照谷歌的说法，3.8 Flash 的输出速度达到每秒 420 token，是 3.5 Flash 的两倍，价格则降到每百万 token 输入 0.15 美元、输出 0.6 美元。",
                "更意外的是成绩：在 SWE-bench Verified 上，3.8 Flash 拿到 72.0%，在 MMMU-Pro 上拿到 81.5%，多项指标超过了半年前的 Gemini 3 Pro。",
                "谷歌还宣布，Gemini App 的默认模型从今天起切换为 3.8 Flash。",
            ],
            ["参考链接：https://blog.google/technology/google-deepmind/gemini-3-8-flash/"],
            cats=["大模型", "谷歌"],
        ),
        e(
            "2026-11-20T03:40:00Z",
            "阶跃星辰 Step-4 发布：端到端语音+视觉，通话延迟 300 毫秒",
            "qbit-step-4",
            "衡宇",
            [
                "阶跃星辰今天发布了 Step-4，一个原生支持语音、图像和视频输入输出的多模态大模型。",
                "Step-4 的实时语音通话端到端延迟约 300 毫秒，并且可以在通话中「看」摄像头画面。",
                "阶跃表示 Step-4 将率先在汽车座舱中落地，已与三家车企达成合作。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-20T01:05:00Z",
            "豆包 Doubao-Seed 2.5 上线：视觉推理全面升级，价格不变",
            "qbit-doubao-seed-2-5",
            "梦晨",
            [
                "火山引擎今天凌晨发布 Doubao-Seed 2.5，重点升级了图表理解、GUI 操作和视频理解能力。",
                "在 OSWorld-Verified 上，Doubao-Seed 2.5 达到 63.4%；价格维持每百万 token 输入 0.8 元不变。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-19T11:20:00Z",
            "StreamVLA：上交大新作，机器人终于能「边看边想边动」了",
            "qbit-streamvla",
            "西风",
            [
                "让机器人一边看视频一边动，延迟只有 38 毫秒——这是上海交大团队最新提出的 StreamVLA 做到的事。",
                "过去的 VLA 模型每做一个动作都要「停下来想一想」，StreamVLA 则把推理和执行做成了流水线：先出动作草稿，再用新画面修正。",
                "实测中，机器人在传送带上抓取移动物体的成功率从 41% 提升到 83%。",
            ],
            [
                "论文：https://arxiv.org/abs/2611.04417v1",
                "项目主页：https://sjtu-embodied.github.io/StreamVLA/",
            ],
            cats=["具身智能"],
        ),
        e(
            "2026-11-19T06:30:00Z",
            "OmniParse 开源一周揽星 1.2 万：PDF、PPT、扫描件统统转成干净 Markdown",
            "qbit-omniparse",
            "克雷西",
            [
                "又一个文档解析神器火了。智源团队开源的 OmniParse 上线一周，GitHub 星标已经超过 1.2 万。",
                "OmniParse 用一个 1.5B 的多模态小模型统一处理版面分析、表格识别和公式识别，能把 PDF、PPT、Word 甚至手机拍的扫描件转成结构化 Markdown。",
                "在 OmniDocBench v2 上，它的整体编辑距离比 MinerU 2.5 低 18%，单页处理时间 0.4 秒。",
                "项目提供 pip 安装和 Docker 镜像，也可以直接作为 RAG 流水线的前处理模块。",
            ],
            ["GitHub：https://github.com/zhiyuan-lab/OmniParse"],
            cats=["开源"],
        ),
        e(
            "2026-11-19T02:00:00Z",
            "百度文心 ERNIE 6 发布：原生全模态，文心一言改名「文心」",
            "qbit-ernie-6",
            "金磊",
            [
                "百度世界大会上，李彦宏发布了文心大模型 ERNIE 6，支持文本、图像、音频和视频的统一理解与生成。",
                "同时，文心一言 App 正式更名为「文心」，月活用户超过 2.1 亿。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-18T09:10:00Z",
            "Kimi K3.5 发布：长思考模式下 HLE 得分 52.3%，上下文拉到 200 万",
            "qbit-kimi-k3-5",
            "明敏",
            [
                "月之暗面今天发布 Kimi K3.5，在「人类最后的考试」HLE 上取得 52.3% 的成绩（开启工具调用）。",
                "K3.5 的上下文长度扩展到 200 万 token，并支持最多 300 步的自主工具调用。",
                "Kimi 官方表示，K3.5 的权重将在两周内开源，采用修改版 MIT 协议。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-16T04:45:00Z",
            "DeepSeek V4.1 上线即屠榜，开发者：这价格还要啥自行车",
            "qbit-deepseek-v4-1",
            "梦晨",
            [
                "没有预告，没有发布会，DeepSeek V4.1 就这么上线了。",
                "根据官方更新说明，V4.1 的长上下文推理成本比 V4 下降一半，API 输出价格降到每百万 token 3 元。",
                "第三方榜单 Artificial Analysis 显示，V4.1 在开源模型中综合得分第一，速度每秒 96 token。",
            ],
            cats=["大模型", "DeepSeek"],
        ),
        e(
            "2026-11-17T08:00:00Z",
            "具身智能融资潮：一周 5 家公司拿到亿元级融资",
            "qbit-embodied-funding",
            "衡宇",
            [
                "本周，银河通用、星海图等 5 家具身智能公司相继宣布完成新一轮融资，单笔金额均在亿元以上。",
                "投资人普遍关注两件事：真机数据的获取成本，以及从演示到量产的时间表。",
            ],
            cats=["产业", "融资"],
        ),
        e(
            "2026-11-16T02:30:00Z",
            "李宏毅 2026 秋季《生成式 AI 与机器学习导论》开课，课件视频全部免费",
            "qbit-hung-yi-lee-2026",
            "西风",
            [
                "台大李宏毅教授的新学期课程开讲了，课程视频同步上传到 YouTube 和 B 站，课件全部公开。",
                "今年课程新增了「AI Agent 的原理」「模型的记忆」与「推理模型的训练」三个单元。",
            ],
            ["课程主页：https://speech.ee.ntu.edu.tw/~hylee/ml/2026-fall.php"],
            cats=["福利", "课程"],
        ),
        e(
            "2026-11-15T03:00:00Z",
            "小米开源 MiMo-V2：7B 多模态推理模型，数学视觉题超过 72B 对手",
            "qbit-mimo-v2",
            "一水",
            [
                "小米大模型团队开源 MiMo-V2-7B，在 MathVista 和 MathVerse 上均超过 Qwen3-VL-72B。",
                "团队表示，关键在于预训练阶段就引入了大量合成的推理型图文数据。",
            ],
            ["GitHub：https://github.com/XiaomiMiMo/MiMo-V2"],
            cats=["开源"],
        ),
        {
            # Planted sanitiser test: a script tag and an onerror handler inside an otherwise normal body.
            "d": "2026-11-14T07:20:00Z",
            "t": "可灵 3.0 实测：AI 视频进入 4K 时代，一镜到底 2 分钟",
            "l": _wxs("qbit-kling-3"),
            "author": "鱼羊",
            "desc": "快手可灵 3.0 支持 4K 分辨率和最长 2 分钟的一镜到底生成。",
            "body": _qbit_body(
                "qbit-kling-3",
                "鱼羊",
                [
                    "快手今天发布可灵 3.0，支持原生 4K 分辨率，单次生成最长 2 分钟。",
                    "我们用 10 个提示词做了实测，人物一致性明显好于上一代。",
                ],
            )
            + '<script>alert(1)</script><p><img src=x onerror=alert(1)></p><p onclick="steal()">点击查看完整测评</p>',
            "cats": ["视频生成"],
        },
        e(
            "2026-11-13T09:30:00Z",
            "英伟达三季度数据中心营收 620 亿美元，黄仁勋：Rubin 需求「疯狂」",
            "qbit-nvidia-q3",
            "金磊",
            [
                "英伟达公布 2027 财年第三季度财报，总营收 718 亿美元，其中数据中心业务 620 亿美元。",
                "黄仁勋表示，Rubin 平台已开始量产出货，明年上半年的产能已经售罄。",
            ],
            cats=["产业"],
        ),
        e(
            "2026-11-12T06:00:00Z",
            "GitHub Octoverse 2026 出炉：TypeScript 登顶，AI 仓库数量增长 98%",
            "qbit-octoverse-2026",
            "克雷西",
            [
                "GitHub 发布年度报告 Octoverse 2026：TypeScript 首次超过 Python 成为使用最多的语言。",
                "与生成式 AI 相关的公开仓库数量同比增长 98%，中国开发者数量位居全球第三。",
            ],
            cats=["开源"],
        ),
        e(
            "2026-11-11T05:15:00Z",
            "MiniMax-M3 开源：线性注意力+MoE，百万上下文推理只要 1/8 显存",
            "qbit-minimax-m3",
            "明敏",
            [
                "MiniMax 开源了新一代模型 MiniMax-M3，总参数 620B，激活 38B。",
                "M3 继续采用闪电注意力与 softmax 注意力混合的架构，在 100 万 token 上下文下显存占用只有同规模 Transformer 的 1/8。",
            ],
            ["GitHub：https://github.com/MiniMax-AI/MiniMax-M3"],
            cats=["开源", "大模型"],
        ),
        e(
            "2026-11-09T08:40:00Z",
            "浙大提出 SpecDiff：把投机解码用在扩散语言模型上，提速 5.1 倍",
            "qbit-specdiff",
            "西风",
            [
                "扩散语言模型并行生成，但需要多轮去噪。浙大团队的 SpecDiff 用一个小草稿模型预测多步去噪结果，再由大模型一次性校验。",
                "在 LLaDA-2 8B 上，SpecDiff 实现 5.1 倍加速，生成质量无损。",
            ],
            ["论文：https://arxiv.org/abs/2611.01968", "代码：https://github.com/zju-nlp/SpecDiff"],
            cats=["论文"],
        ),
        e(
            "2026-11-08T02:10:00Z",
            "Stable Diffusion 4 开放权重：8B 参数，首次支持原生图像编辑",
            "qbit-sd4",
            "鱼羊",
            [
                "Stability AI 发布 Stable Diffusion 4，开放 8B 参数模型权重，社区许可证允许年收入 100 万美元以下的商业使用。",
                "SD4 首次把文生图和指令编辑统一在一个模型里。",
            ],
            cats=["生成模型", "开源"],
        ),
        e(
            "2026-11-06T10:00:00Z",
            "Bengio 最新访谈：Agent 的风险不在于聪明，而在于自主",
            "qbit-bengio-interview",
            "一水",
            [
                "图灵奖得主 Yoshua Bengio 在最新访谈中表示，真正需要警惕的是「长时间无人监督运行的 Agent」。",
                "他呼吁为 Agent 建立类似航空业的事故报告制度。",
            ],
            cats=["观点"],
        ),
        e(
            "2026-10-30T09:00:00Z",
            "10 月大模型盘点：20 款新模型，谁是真正的赢家？",
            "qbit-october-roundup",
            "量子位智库",
            [
                "10 月共有 20 款值得关注的新模型发布，我们从能力、价格和开源程度三个维度做了盘点。",
            ],
            cats=["盘点"],
        ),
    ]
    return {
        "name": "qbitai",
        "title": "量子位",
        "file": "qbitai.atom",
        "format": "atom",
        "region": "中文圈",
        "weight": 1.2,
        "language": "zh-CN",
        "link": "https://www.qbitai.com/",
        "self": "https://wewe-rss.example.com/feeds/MP_WXS_3236757533.atom",
        "description": "追踪人工智能新趋势，关注科技行业新突破",
        "generator": "WeWe RSS",
        "image": _mmbiz("qbit-avatar"),
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# 新智元 — RSS 2.0 via RSSHub, +0800, heavy boilerplate and an ad line in every body
# ---------------------------------------------------------------------------------------------------------

_XZY_BIZ = "MzI3MTA0MTk1MA=="


def _xzy_body(seed: str, editor: str, lead: str, paras: list[str], links: list[str] | None = None) -> str:
    head = _p("点击上方蓝字关注我们", "新智元报道", f"编辑：{editor}", f"【新智元导读】{lead}")
    body = _wximg(seed + "-head", "gif") + _p(*paras[:2]) + _wximg(seed + "-fig1") + _p(*paras[2:])
    tail = (
        _p(*(links or []))
        + _p("参考资料：", "https://x.com/ 相关讨论")
        + _p(
            "【广告】双 11 算力特惠：H200 云主机 6.99 元/卡时，扫码领取 500 元代金券",
            "欢迎点击阅读原文，进入新智元 AI 社区",
        )
    )
    return head + body + tail


def xinzhiyuan() -> dict[str, Any]:
    def e(
        d: str,
        t: str,
        seed: str,
        editor: str,
        lead: str,
        paras: list[str],
        links: list[str] | None = None,
        **kw: Any,
    ) -> Entry:
        mid = 2652500000 + int(_h(seed, 6), 16) % 9000
        entry = {
            "d": d,
            "t": t,
            "l": _wx(_XZY_BIZ, mid, 1, seed, "&scene=0&xtrack=1#rd"),
            "author": "新智元",
            "desc": lead,
            "body": _xzy_body(seed, editor, lead, paras, links),
        }
        entry.update(kw)
        return entry

    entries: list[Entry] = [
        e(
            "2026-11-20T09:05:00+08:00",
            "GPT-5.7 深夜炸场！奥特曼：这是我们做过最好的编程模型",
            "xzy-gpt-5-7",
            "桃子 好困",
            "OpenAI 凌晨上线 GPT-5.7，SWE-bench Verified 刷到 81.4%，价格还降了四成。",
            [
                "凌晨一点，OpenAI 毫无预兆地放出了 GPT-5.7。",
                "奥特曼在 X 上表示，这是 OpenAI「迄今为止最好的编程模型」，内部工程师已经有超过一半的代码由它完成。",
                "新模型的 100 万 token 上下文和「自适应思考」成为讨论焦点：简单任务几乎秒回，复杂任务可以连续思考数十分钟。",
                "网友实测发现，GPT-5.7 在前端页面生成上进步最明显，但在中文古诗词任务上偶有翻车。",
            ],
            cats=["OpenAI"],
        ),
        e(
            "2026-11-20T12:30:00+08:00",
            "一人公司时代来了？斯坦福报告：AI Agent 已能独立完成 37% 的外包任务",
            "xzy-agent-freelance",
            "KingHZ",
            "斯坦福最新报告显示，前沿 Agent 能独立完成约 37% 的真实外包平台任务。",
            [
                "斯坦福 HAI 发布报告，用 1200 个真实外包平台任务测试了 9 个前沿 Agent。",
                "表现最好的 Agent 独立完成了 37% 的任务，平均花费仅为人类报价的 4%。",
                "报告同时指出，失败任务中有近一半是因为 Agent 误解了客户需求。",
            ],
            cats=["Agent"],
        ),
        e(
            "2026-11-19T22:10:00+08:00",
            "阿里深夜开源 Qwen3.9！480B MoE 硬刚 GPT-5.7，还附赠 0.8B 手机版",
            "xzy-qwen3-9",
            "英智",
            "通义千问一口气开源 8 个 Qwen3.9 模型，旗舰 480B-A35B 多项成绩逼近闭源第一梯队。",
            [
                "周四晚上，通义千问团队一次性放出了 Qwen3.9 全家桶：8 个模型，参数从 0.8B 到 480B 不等。",
                "旗舰 Qwen3.9-480B-A35B 在 LiveCodeBench v7 拿到 78.9 分，被不少开发者称为「开源版 GPT-5.7」。",
                "最小的 0.8B 版本则专门为手机优化，量化后只占 500MB 内存。",
                "截至发稿，Qwen 系列在 Hugging Face 上的衍生模型已超过 19 万个。",
            ],
            ["https://github.com/QwenLM/Qwen3.9"],
            cats=["开源"],
        ),
        e(
            "2026-11-19T15:45:00+08:00",
            "LongMem-R1：用强化学习教大模型「记笔记」，百万 token 推理准确率提升 21%",
            "xzy-longmem-r1",
            "LRST",
            "清华与面壁智能提出 LongMem-R1，让模型在阅读长文时学会主动压缩和检索记忆。",
            [
                "长上下文模型的窗口越来越大，但「读得进」不等于「记得住」。",
                "LongMem-R1 让模型在阅读过程中主动写「笔记」，把关键信息压缩进一个固定大小的记忆区，并用强化学习奖励最终答案的正确性。",
                "在 100 万 token 的 LongBench-Pro 任务上，LongMem-R1 让一个 8B 模型的准确率提升 21 个百分点，而显存占用只有全注意力的 1/12。",
            ],
            ["论文链接：https://arxiv.org/pdf/2611.05823", "代码：https://github.com/thunlp/LongMem-R1"],
            cats=["论文"],
        ),
        e(
            "2026-11-19T08:20:00+08:00",
            "谷歌 AlphaProof 2 登上 Nature：IMO 满分之后，开始攻克研究级数学问题",
            "xzy-alphaproof-2",
            "编辑部",
            "DeepMind 的 AlphaProof 2 在 Lean 中形式化证明了两个此前悬而未决的组合数学猜想。",
            [
                "DeepMind 团队在 Nature 发表论文，介绍了 AlphaProof 2。",
                "系统在 Lean 4 中自动证明了两个此前未被解决的组合数学猜想，证明已由数学家独立核验。",
            ],
            cats=["AI for Science"],
        ),
        {
            # Planted: an item with no <link> at all.
            "d": "2026-11-18T21:00:00+08:00",
            "t": "Hinton 最新演讲：数字智能终将超越生物智能，我们只有一次机会",
            "guid": "xzy-hinton-talk-20261118",
            "author": "新智元",
            "desc": "Hinton 在多伦多大学的公开演讲中再次谈到 AI 风险。",
            "body": _xzy_body(
                "xzy-hinton-talk",
                "桃子",
                "Hinton 在多伦多大学的公开演讲中再次谈到 AI 风险。",
                [
                    "11 月 18 日，Geoffrey Hinton 在多伦多大学发表公开演讲。",
                    "他认为，数字智能能通过复制权重瞬间共享知识，这是生物智能无法做到的。",
                ],
            ),
            "cats": ["观点"],
        },
        e(
            "2026-11-17T10:00:00+08:00",
            "马斯克 xAI 发布 Grok 5：号称 6 万亿参数，训练用了 30 万张 GB300",
            "xzy-grok-5",
            "好困",
            "Grok 5 上线 X 平台，马斯克称其为「地球上最聪明的 AI」。",
            [
                "xAI 发布 Grok 5，马斯克在直播中称模型参数约 6 万亿。",
                "在 xAI 公布的评测中，Grok 5 在 HLE 上得分 50.7%，略低于 Kimi K3.5 的工具版成绩。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-16T13:30:00+08:00",
            "DeepSeek V4.1 推理成本只有 GPT-5 系列的 1/20？我们实测了 3 个场景",
            "xzy-deepseek-v4-1",
            "英智",
            "DeepSeek 周末更新 V4.1，新智元实测长文总结、代码修复和数学推理三个场景。",
            [
                "DeepSeek V4.1 周日上线后，我们第一时间做了测试。",
                "在 20 万字长文总结任务中，V4.1 的成本约为 0.9 元，而同等任务用闭源旗舰模型需要 18 元左右。",
                "代码修复场景中，V4.1 的一次通过率与 V4 相比提升不明显，但响应速度快了近一倍。",
            ],
            cats=["DeepSeek"],
        ),
        e(
            "2026-11-15T11:00:00+08:00",
            "《大模型基础》2026 版开源：浙大团队出品，12 章免费下载",
            "xzy-llm-book",
            "LRST",
            "浙江大学团队更新开源教材《大模型基础》，新增推理模型与 Agent 两章。",
            [
                "浙江大学 DAILY 实验室发布了开源教材《大模型基础》2026 版，PDF 可免费下载。",
                "新版共 12 章，新增「推理模型」和「智能体」两章，每章配有习题和论文清单。",
            ],
            ["GitHub：https://github.com/ZJU-LLMs/Foundations-of-LLMs"],
            cats=["福利", "书籍"],
        ),
        e(
            "2026-11-13T20:00:00+08:00",
            "Anthropic 发布 Claude Opus 5.2：连续工作 30 小时不跑偏",
            "xzy-claude-opus-5-2",
            "桃子",
            "Claude Opus 5.2 主打超长时程任务，官方演示中连续运行 30 小时完成一个完整应用。",
            [
                "Anthropic 发布 Claude Opus 5.2，称其能在无人干预的情况下连续执行任务 30 小时以上。",
                "在 Terminal-Bench 2 上，Opus 5.2 得分 68.5%。",
            ],
            cats=["大模型"],
        ),
        e(
            "2026-11-12T09:30:00+08:00",
            "Scale AI 发布 SEAL 新榜单：中国开源模型包揽前五",
            "xzy-seal-leaderboard",
            "编辑部",
            "在 SEAL 开源模型排行榜上，前五名全部来自中国团队。",
            [
                "Scale AI 更新了 SEAL 排行榜，在开源模型分榜中，DeepSeek、Qwen、Kimi、GLM 和 MiniMax 包揽前五。",
            ],
            cats=["评测"],
        ),
        e(
            "2026-11-10T18:00:00+08:00",
            "全球首个 AI 科学家论文被 Nature 子刊接收：从选题到写作全程无人类",
            "xzy-ai-scientist",
            "KingHZ",
            "一篇完全由 AI 系统完成的材料科学论文被 Nature Communications 接收。",
            [
                "Sakana AI 与东京大学合作的 AI 科学家系统完成了一篇材料科学论文，已被 Nature Communications 接收。",
                "编辑部表示，论文在投稿时明确标注了 AI 生成，评审过程与普通论文相同。",
            ],
            cats=["AI for Science"],
        ),
        e(
            "2026-11-09T10:40:00+08:00",
            "OpenAI 前首席科学家 Ilya 的 SSI 首次公开演示：不发产品，只发论文",
            "xzy-ssi-demo",
            "好困",
            "SSI 发布首篇论文，讨论了一种新的可扩展监督方法。",
            [
                "Safe Superintelligence 发布了成立以来的第一篇公开论文。",
                "论文提出让多个模型相互质询以发现彼此推理中的漏洞。",
            ],
            cats=["观点"],
        ),
        e(
            "2026-11-07T12:00:00+08:00",
            "吴恩达新课上线：Agentic RAG 实战，1 小时免费学完",
            "xzy-andrew-ng-course",
            "编辑部",
            "DeepLearning.AI 上线免费短课《Agentic RAG》。",
            [
                "吴恩达的 DeepLearning.AI 上线了新短课《Agentic RAG》，时长约 1 小时，可免费学习。",
                "课程讲解如何让 Agent 自主决定检索时机、改写查询并核验引用。",
            ],
            ["课程地址：https://www.deeplearning.ai/short-courses/agentic-rag/"],
            cats=["福利", "课程"],
        ),
        e(
            "2026-10-25T09:00:00+08:00",
            "10 月 AI 大事件回顾：Sora 3、Claude Opus 5、文心 5.5",
            "xzy-october-review",
            "编辑部",
            "回顾 10 月 AI 圈最重要的 10 件事。",
            ["10 月的 AI 圈依旧热闹，我们挑出了最值得关注的 10 件事。"],
            cats=["盘点"],
        ),
    ]
    return {
        "name": "xinzhiyuan",
        "title": "新智元",
        "file": "xinzhiyuan.xml",
        "format": "rss",
        "region": "中文圈",
        "weight": 1.0,
        "language": "zh-cn",
        "link": "https://mp.weixin.qq.com/",
        "self": "https://rsshub.app/wechat/mp/MzI3MTA0MTk1MA==",
        "description": "智能+中国主平台 - Powered by RSSHub",
        "generator": "RSSHub",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# 集智书童 — Atom, +08:00; CV / deployment; reposts other 公众号 articles (story S8)
# ---------------------------------------------------------------------------------------------------------


def _jzst_body(seed: str, author: str, source: str, paras: list[str], links: list[str] | None = None) -> str:
    head = _p("点击上方蓝字关注我们｜设为星标", f"作者：{author}", f"来源：{source}", "编辑：集智书童")
    body = _wximg(seed + "-head") + _p(*paras[:2]) + _wximg(seed + "-fig1") + _p(*paras[2:])
    tail = _p(*(links or [])) + _p(
        "扫码加入「集智书童-模型部署」交流群，备注：研究方向+学校/公司+昵称",
        "免责声明：凡本公众号注明「来源：XXX」的文章，转载目的在于传递更多信息，版权归原作者所有。",
    )
    return head + body + tail


def jizhi_shutong() -> dict[str, Any]:
    def e(
        d: str,
        t: str,
        seed: str,
        author: str,
        source: str,
        paras: list[str],
        links: list[str] | None = None,
        **kw: Any,
    ) -> Entry:
        entry = {
            "d": d,
            "t": t,
            "l": _wxs(seed),
            "author": author,
            "desc": paras[0],
            "body": _jzst_body(seed, author, source, paras, links),
        }
        entry.update(kw)
        return entry

    entries: list[Entry] = [
        e(
            "2026-11-20T08:30:00+08:00",
            "OmniParse 源码解读：1.5B 小模型如何统一版面、表格与公式识别",
            "jzst-omniparse-code",
            "小书童",
            "集智书童",
            [
                "上周开源的 OmniParse 热度很高，本文从源码角度拆解它的推理流程。",
                "OmniParse 的核心是一个「先检测、后读取」的两阶段设计：第一阶段输出版面块与阅读顺序，第二阶段对每个块按类型调用同一个模型的不同提示词。",
                "我们在 RTX 4090 上实测，单页平均耗时 0.52 秒，显存峰值 6.1GB。",
                "文末给出了把 OmniParse 接入 LlamaIndex 的示例代码。",
            ],
            ["代码：https://github.com/zhiyuan-lab/OmniParse"],
        ),
        e(
            "2026-11-20T07:45:00+08:00",
            "YOLO-World 2 开源：开放词汇检测跑到 120 FPS",
            "jzst-yolo-world-2",
            "Cheng",
            "腾讯 AI Lab",
            [
                "YOLO-World 2 把开放词汇检测的速度推到 120 FPS（T4, TensorRT FP16），LVIS minival AP 达到 41.3。",
                "新版本用重参数化的视觉-语言融合层替代了原来的跨模态注意力。",
            ],
            ["论文：https://arxiv.org/abs/2611.06120", "代码：https://github.com/AILab-CVC/YOLO-World-2"],
        ),
        e(
            "2026-11-19T19:00:00+08:00",
            "LongMem-R1 论文解读：用 RL 训练记忆压缩，长上下文推理的新思路",
            "jzst-longmem-r1",
            "AI 论文解读",
            "集智书童",
            [
                "本文解读清华等团队的新论文 LongMem-R1。",
                "与 RAG 不同，LongMem-R1 不依赖外部检索器，而是让模型在读的过程中自己决定「记什么」。",
                "训练分两阶段：先用合成数据做监督微调，教会模型写笔记的格式；再用 GRPO 强化学习，奖励最终答案。",
                "作者在附录中给出了不同记忆区大小的消融实验，4K 记忆区即可覆盖大部分收益。",
            ],
            ["论文地址：https://arxiv.org/abs/2611.05823v1", "代码：https://github.com/thunlp/LongMem-R1"],
        ),
        e(
            "2026-11-19T10:15:00+08:00",
            "端侧大模型量化全景：W4A8、FP8 与 NVFP4 该怎么选？",
            "jzst-quant-survey",
            "部署小王",
            "知乎",
            [
                "端侧部署大模型时，量化方案的选择直接决定了速度和精度。",
                "本文对比了 W4A16、W4A8、FP8 与 NVFP4 四种方案在手机 NPU、Jetson Thor 与 RTX 5090 上的表现。",
                "结论：手机端首选 W4A8，Blackwell 架构 GPU 上 NVFP4 的性价比最高。",
            ],
            ["原文地址：https://zhuanlan.zhihu.com/p/1968235571"],
        ),
        e(
            "2026-11-18T12:00:00+08:00",
            "AgentForge 实战：30 行代码搭一个多智能体 RAG 流水线",
            "jzst-agentforge",
            "小书童",
            "集智书童",
            [
                "AgentForge 是最近在 GitHub 上很火的一个轻量多智能体框架，核心代码不到 3000 行。",
                "本文用 AgentForge 搭建一个「检索 - 核验 - 写作」三角色流水线，全部代码约 30 行。",
                "与 LangGraph 相比，AgentForge 的优势在于零依赖和可读性，缺点是生态还不完善。",
            ],
            [
                "代码：https://github.com/tiny-agents/agentforge",
                "文档：https://tiny-agents.github.io/agentforge/",
            ],
        ),
        {
            # Planted story S8: the 机器之心 article reposted; same WeChat article, different tracking params.
            "d": "2026-11-17T09:00:00+08:00",
            "t": "扩散模型蒸馏综述：一致性模型、DMD 与 4 步采样的 RectiFlow-D",
            "l": _wx(_JQZX_BIZ, DIFFUSION_WX_MID, 1, DIFFUSION_WX_SEED, "&scene=21#wechat_redirect"),
            "author": "机器之心",
            "desc": "转载自机器之心：扩散模型蒸馏三条技术路线梳理。",
            "body": _jzst_body(
                "jzst-diffusion-repost",
                "Panda",
                "机器之心",
                [
                    "本文转载自机器之心，梳理了扩散模型蒸馏的三条技术路线。",
                    "RectiFlow-D 在 ImageNet 512×512 上 4 步采样 FID 1.92。",
                ],
                ["论文：https://arxiv.org/pdf/2611.02291v1"],
            ),
        },
        {
            # Planted: broken HTML (unclosed tags) inside the CDATA body.
            "d": "2026-11-16T20:30:00+08:00",
            "t": "YOLO26 部署踩坑记录：TensorRT 10 + INT8 量化掉点怎么办",
            "l": _wxs("jzst-yolo26-trt"),
            "author": "部署小王",
            "desc": "YOLO26 在 TensorRT 10 上 INT8 量化后 mAP 掉了 3 个点，本文记录排查过程。",
            "body": (
                "<p>点击上方蓝字关注我们｜设为星标<p>作者：部署小王"
                "<div><p>YOLO26 在 TensorRT 10 上做 INT8 量化后 mAP 掉了 3 个点。<b>问题出在 DFL 头的 softmax"
                "<ul><li>校准集太小<li>检测头没有跳过量化<li>NMS 放在了引擎外"
                '<p><img src="'
                + _mmbiz("jzst-yolo26-fig")
                + '"><table><tr><td>FP16<td>53.1<tr><td>INT8<td>50.2'
                "<p>解决办法：把检测头保持 FP16，mAP 恢复到 52.8。<i>代码见 https://github.com/deploy-wang/yolo26-trt"
            ),
        },
        e(
            "2026-11-15T14:00:00+08:00",
            "RT-DETRv4：实时检测 Transformer 再进化，COCO 56.8 AP 只要 4.1ms",
            "jzst-rt-detrv4",
            "Cheng",
            "百度飞桨",
            [
                "RT-DETRv4 通过知识蒸馏引入视觉基础模型的特征，在不增加推理开销的情况下提升 1.6 AP。",
                "L 版本在 T4 上 4.1ms 达到 COCO 56.8 AP。",
            ],
            ["论文：https://arxiv.org/abs/2611.03388", "代码：https://github.com/lyuwenyu/RT-DETRv4"],
        ),
        e(
            "2026-11-14T09:20:00+08:00",
            "SAM 3.1 上手实测：文本提示分割视频中的任意物体",
            "jzst-sam3-1",
            "小书童",
            "集智书童",
            [
                "Meta 更新了 SAM 3.1，视频分割速度提升 2 倍，并支持更长的文本提示。",
                "我们在自动驾驶街景视频上做了测试，文本提示「所有骑电动车的人」效果令人惊喜。",
            ],
            ["代码：https://github.com/facebookresearch/sam3"],
        ),
        e(
            "2026-11-12T16:00:00+08:00",
            "国产 NPU 上跑 VLM：RK3688 部署 Qwen3-VL-2B 全流程",
            "jzst-rk3688-vlm",
            "嵌入式 AI",
            "知乎",
            [
                "本文记录在瑞芯微 RK3688 开发板上部署 Qwen3-VL-2B 的全过程。",
                "W4A16 量化后，首 token 延迟 1.1 秒，解码速度每秒 14 token。",
            ],
            ["代码：https://gitee.com/rockchip-ai/rknn-llm-examples"],
        ),
        e(
            "2026-11-11T10:00:00+08:00",
            "深度估计新 SOTA：Depth Anything V3 的三个关键改动",
            "jzst-depth-anything-v3",
            "AI 论文解读",
            "集智书童",
            [
                "Depth Anything V3 在零样本相对深度估计上刷新了 8 个数据集的最好成绩。",
                "关键改动：更大的合成数据、多视角一致性损失，以及 DINOv3 骨干。",
            ],
            ["论文：https://arxiv.org/abs/2611.01120"],
        ),
        e(
            "2026-11-09T15:30:00+08:00",
            "CUDA 入门到放弃？一份面向算法工程师的 Triton 学习路线",
            "jzst-triton-roadmap",
            "部署小王",
            "集智书童",
            [
                "整理了一份从零开始学 Triton 的路线，附 20 个循序渐进的练习题。",
                "练习题覆盖向量加法、softmax、矩阵乘法到 FlashAttention 前向。",
            ],
            ["练习代码：https://github.com/deploy-wang/triton-puzzles-cn"],
        ),
        e(
            "2026-11-06T11:00:00+08:00",
            "开放数据集 | 10 万小时中文语音数据集 WenetSpeech-3 发布",
            "jzst-wenetspeech-3",
            "小书童",
            "WeNet 社区",
            [
                "WeNet 社区发布 WenetSpeech-3，包含 10 万小时带标注的中文语音，覆盖 8 种方言。",
                "数据集可免费用于学术研究。",
            ],
            ["数据集：https://wenet.org.cn/WenetSpeech3/"],
        ),
    ]
    return {
        "name": "jizhi-shutong",
        "title": "集智书童",
        "file": "jizhi-shutong.atom",
        "format": "atom",
        "region": "中文圈",
        "weight": 0.9,
        "language": "zh-CN",
        "link": "https://mp.weixin.qq.com/",
        "self": "https://wewe-rss.example.com/feeds/MP_WXS_3889412790.atom",
        "description": "专注计算机视觉与模型部署",
        "generator": "WeWe RSS",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# arXiv — RSS 2.0 in the shape of export.arxiv.org/rss/cs.CV+cs.CL+cs.AI (announce dates, -0500)
# ---------------------------------------------------------------------------------------------------------

_ARXIV = [
    # (id, announce day, primary category, title, authors, abstract)
    (
        "2611.04417",
        "19",
        "cs.RO",
        "StreamVLA: Streaming Vision-Language-Action Models for Real-Time Robot Control",
        "Haoran Lin, Yiwen Zhao, Qiang Fu, Mingxuan Shen, Cewu Lu",
        "Vision-language-action (VLA) models act in a stop-and-think loop that caps control frequency near 10 Hz. We present StreamVLA, which treats camera input as a continuous stream, keeps a streaming key-value cache across frames and adds a lightweight action-draft head that emits provisional actions which are refined as new frames arrive. A 7B StreamVLA runs at 26 Hz with 38 ms end-to-end latency and improves success on 12 long-horizon real-robot tasks by 17.5 points over strong baselines. Code and weights: https://github.com/sjtu-embodied/StreamVLA",
    ),
    (
        "2611.05823",
        "19",
        "cs.CL",
        "LongMem-R1: Learning to Take Notes for Million-Token Reasoning with Reinforcement Learning",
        "Zhiyuan Wang, Jiahao Li, Xu Han, Zhiyuan Liu, Maosong Sun",
        "Long-context language models can ingest millions of tokens but often fail to use them. We propose LongMem-R1, in which the model writes compressed notes into a fixed-size memory while reading and is trained with outcome-based reinforcement learning to decide what to keep. On million-token tasks LongMem-R1 improves an 8B model by 21 points while using one twelfth of the memory of full attention. We release code at https://github.com/thunlp/LongMem-R1.",
    ),
    (
        "2611.03150",
        "18",
        "cs.LG",
        "Open-R2: A Fully Open Recipe for Training Reasoning Models at Scale",
        "Lewis Tunstall, Edward Beeching, Anton Lozhkov, Leandro von Werra, Thomas Wolf",
        "We describe Open-R2, a fully open pipeline for training reasoning language models, including 4.2M verified reasoning traces, the reinforcement learning infrastructure and every intermediate checkpoint. Our 32B model matches closed reasoning models of similar size on AIME 2026 and LiveCodeBench while costing under 60k GPU hours. All data and code are public.",
    ),
    (
        "2611.02291",
        "13",
        "cs.CV",
        "RectiFlow-D: Four-Step Diffusion Sampling via Adversarial Trajectory Distillation",
        "Chen Gao, Yifan Xu, Weijie Zhang, Yadong Mu",
        "We introduce RectiFlow-D, a distillation method that combines rectified-flow trajectory matching with an adversarial objective. With four sampling steps RectiFlow-D reaches FID 1.92 on ImageNet 512x512, on par with its 50-step teacher, and extends to video diffusion, producing five-second 720p clips in 3.1 seconds on a single GPU. Code: https://github.com/pku-vilab/RectiFlow-D",
    ),
    (
        "2611.07702",
        "20",
        "cs.CL",
        "The Llama 5 Herd: Natively Multimodal Models with Ten-Million-Token Context",
        "Llama Team",
        "This report introduces Llama 5 Scout and Llama 5 Maverick, early-fusion multimodal mixture-of-experts models. We detail pre-training on interleaved text, image and video tokens, a position interpolation scheme that extends context to ten million tokens, and post-training with online reinforcement learning.",
    ),
    (
        "2611.06120",
        "18",
        "cs.CV",
        "YOLO-World 2: Real-Time Open-Vocabulary Detection at 120 FPS",
        "Tianheng Cheng, Lin Song, Yixiao Ge, Ying Shan",
        "We present YOLO-World 2, which replaces cross-modal attention with re-parameterizable vision-language fusion, reaching 41.3 AP on LVIS minival at 120 FPS on a T4 GPU. Code: https://github.com/AILab-CVC/YOLO-World-2",
    ),
    (
        "2611.03388",
        "13",
        "cs.CV",
        "RT-DETRv4: Distilling Vision Foundation Models into Real-Time Detection Transformers",
        "Wenyu Lv, Yian Zhao, Qinyao Chang, Kui Huang, Guanzhong Wang",
        "RT-DETRv4 distills features of a frozen vision foundation model into a real-time detector during training only, improving COCO AP by 1.6 at no inference cost. The large model reaches 56.8 AP at 4.1 ms on a T4 GPU.",
    ),
    (
        "2611.01968",
        "09",
        "cs.CL",
        "SpecDiff: Speculative Denoising for Diffusion Language Models",
        "Yuxuan Song, Hao Zhou, Jingjing Xu, Lei Li",
        "Diffusion language models decode in parallel but require many denoising rounds. SpecDiff drafts several denoising steps with a small model and verifies them with the target model in one pass, achieving a 5.1x speedup on an 8B diffusion language model without quality loss.",
    ),
    (
        "2611.00877",
        "06",
        "cs.AI",
        "MathCoder-R: Verifiable Geometry Proofs via Formal Code Translation",
        "Ke Wang, Houxing Ren, Aojun Zhou, Mingjie Zhan, Hongsheng Li",
        "MathCoder-R translates olympiad geometry problems into formal code and checks each reasoning step with a symbolic solver. A 7B model solves 41 of 50 IMO-AG problems. Code: https://github.com/pku-math/MathCoder-R",
    ),
    (
        "2611.01120",
        "10",
        "cs.CV",
        "Depth Anything V3: Scaling Synthetic Data and Multi-View Consistency for Monocular Depth",
        "Lihe Yang, Bingyi Kang, Zilong Huang, Hengshuang Zhao",
        "We scale synthetic training data to 120M images and add a multi-view consistency loss, setting a new zero-shot state of the art on eight relative depth benchmarks.",
    ),
    (
        "2611.08041",
        "20",
        "cs.CL",
        "Agent-as-a-Judge 2: Evaluating Long-Horizon Agents with Agents",
        "Mingchen Zhuge, Changsheng Zhao, Dylan Ashley, Jürgen Schmidhuber",
        "Evaluating agents that run for hours is costly for humans. We propose Agent-as-a-Judge 2, which inspects intermediate artifacts and execution traces, agreeing with expert judgements 91% of the time on a new benchmark of 300 long-horizon software tasks.",
    ),
    (
        "2611.08123",
        "20",
        "cs.CV",
        "Pixel-Space Diffusion Strikes Back: Latent-Free Image Generation at Scale",
        "Shuai Yang, Zhen Li, Kaiming He",
        "We revisit pixel-space diffusion and show that with a patch-wise denoiser and a frequency-aware loss it matches latent diffusion on ImageNet 256x256 (FID 1.61) without any autoencoder.",
    ),
    (
        "2611.08210",
        "20",
        "cs.AI",
        "Reward Hacking in the Wild: A Census of 1,200 RL Training Runs",
        "Amelia Hart, Daniel Ruiz, Priya Natarajan",
        "We audit 1,200 reinforcement learning runs for language model post-training and find reward hacking behaviours in 14% of them, most often test tampering in coding environments. We release a detector and a taxonomy.",
    ),
    (
        "2611.08302",
        "20",
        "cs.CL",
        "Chinese SimpleQA-2: Measuring Short-Form Factuality of Chinese LLMs in 2026",
        "Yancheng He, Shilong Li, Jiaheng Liu, Wenbo Su",
        "We present Chinese SimpleQA-2, 6,000 short factual questions across 12 topics with answers verified in November 2026. The best model answers 71.4% correctly. Data: https://github.com/OpenStellarTeam/ChineseSimpleQA-2",
    ),
    (
        "2611.08377",
        "20",
        "cs.RO",
        "HumanoidBench-X: A Benchmark for Whole-Body Loco-Manipulation",
        "Carmelo Sferrazza, Dun-Ming Huang, Pieter Abbeel",
        "HumanoidBench-X contains 40 simulated whole-body tasks for humanoid robots with standardized real-to-sim assets. Current policies solve only 9 of 40 tasks reliably.",
    ),
    (
        "2611.08455",
        "20",
        "cs.LG",
        "Muon at Scale: Orthogonalized Optimizers for Trillion-Parameter Mixture-of-Experts",
        "Jingyuan Liu, Jianlin Su, Xingcheng Yao, Zhilin Yang",
        "We scale the Muon optimizer to a 1T-parameter mixture-of-experts model, reducing training compute to reach a target loss by 32% compared with AdamW, and analyse stability fixes needed at this scale.",
    ),
    (
        "2611.08519",
        "20",
        "cs.CL",
        "Speculative Agents: Drafting Tool Calls with Small Models",
        "Hao Peng, Xinyun Chen, Graham Neubig",
        "Tool-using agents spend most of their latency waiting for the large model to choose the next call. We let a small model draft tool calls that the large model verifies in batches, cutting wall-clock time of agent episodes by 2.4x on three benchmarks. Code: https://github.com/neulab/speculative-agents",
    ),
    (
        "2611.08603",
        "20",
        "cs.CV",
        "SceneScript-2: Structured Language for Indoor Scene Reconstruction",
        "Armen Avetisyan, Christopher Xie, Jakob Engel",
        "SceneScript-2 represents indoor scenes as a sequence of structured commands and predicts them from egocentric video, improving layout F1 by 9 points.",
    ),
    (
        "2611.08688",
        "20",
        "cs.AI",
        "Constitutional Classifiers for Agent Actions",
        "Mrinank Sharma, Jan Leike, Ethan Perez",
        "We train classifiers from a natural-language constitution to block harmful agent actions before execution, reducing successful jailbreaks of a computer-use agent from 36% to 2% with a 0.6% false positive rate.",
    ),
    (
        "2611.08711",
        "20",
        "cs.CL",
        "C-MTEB 2: A Larger Benchmark for Chinese Text Embeddings",
        "Shitao Xiao, Zheng Liu, Peitian Zhang",
        "C-MTEB 2 extends the Chinese embedding benchmark to 58 datasets, including long-document retrieval and code search, and ranks 40 open embedding models. Data and code: https://github.com/FlagOpen/C-MTEB-2",
    ),
    (
        "2611.08790",
        "20",
        "cs.CV",
        "One-Step Video Super-Resolution with Diffusion Priors",
        "Rui Xie, Ying Tai, Jian Yang",
        "We distil a video diffusion upscaler into a single step, upscaling 720p to 4K at 12 frames per second on one GPU. Code: https://github.com/NJU-PCALab/OSVSR",
    ),
    (
        "2611.07015",
        "19",
        "cs.CV",
        "VideoRAG-Bench: Retrieval-Augmented Question Answering over Hour-Long Videos",
        "Xiaohan Wang, Yuhui Zhang, Serena Yeung-Levy",
        "We introduce VideoRAG-Bench with 4,800 questions over 1,100 hour-long videos and show that retrieval of key frames beats feeding all frames into long-context models.",
    ),
    (
        "2611.07122",
        "19",
        "cs.CL",
        "Tokenizer-Free Chinese Language Modeling with Byte Latent Patches",
        "Rui Zhang, Ming Zhou, Yang Liu",
        "We adapt byte latent transformers to Chinese, where characters span three UTF-8 bytes, and show that entropy-based patching reaches the perplexity of a BPE baseline with 18% fewer FLOPs.",
    ),
    (
        "2611.07230",
        "19",
        "cs.AI",
        "ToolSmith: Agents that Write and Verify Their Own Tools",
        "Cheng Qian, Chi Han, Yi Fung, Heng Ji",
        "ToolSmith lets agents write new tools as Python functions, test them and add them to a shared library. On a suite of 600 data-analysis tasks this raises success from 48% to 67%. Code: https://github.com/qiancheng0/ToolSmith",
    ),
    (
        "2611.07348",
        "19",
        "cs.CV",
        "Gaussian Worlds: Feed-Forward 3D Scene Generation from a Single Image",
        "Jiaxiang Tang, Ziwei Liu, Gang Zeng",
        "We present a feed-forward model that predicts a navigable 3D Gaussian scene from one image in 2 seconds, outperforming optimisation-based methods in consistency.",
    ),
    (
        "2611.07401",
        "19",
        "cs.CL",
        "How Much Do Reasoning Models Actually Search? Auditing Browsing Agents",
        "Ziyi Chen, Tianyu Gao, Danqi Chen",
        "We audit browsing agents on questions whose answers appeared online after their training cutoff and find that 38% of correct answers come without any relevant page being visited.",
    ),
    (
        "2611.07533",
        "19",
        "cs.LG",
        "FlashDecoding-3: Split-K Attention Kernels for Blackwell GPUs",
        "Tri Dao, Jay Shah, Ganesh Bikshandi",
        "We describe attention decoding kernels for Blackwell GPUs using tensor memory and asynchronous copies, reaching 1.9x the throughput of the previous generation kernels at 128K context. Code: https://github.com/Dao-AILab/flash-attention",
    ),
    (
        "2611.06533",
        "18",
        "cs.CL",
        "Multilingual Safety Gaps in Open-Weight Models",
        "Fatima Hassan, Kenji Sato, Luca Bianchi",
        "We evaluate refusal consistency of 24 open-weight models across 30 languages and find harmful-request compliance up to 4x higher in low-resource languages.",
    ),
    (
        "2611.06710",
        "18",
        "cs.CV",
        "UniTok-2: One Tokenizer for Understanding and Generation",
        "Chuofan Ma, Yi Jiang, Xiaojuan Qi",
        "UniTok-2 is a discrete visual tokenizer trained with both reconstruction and contrastive objectives, serving a single autoregressive model for both image understanding and generation.",
    ),
    (
        "2611.05102",
        "16",
        "cs.AI",
        "Formal Verification of Agent Plans with Lean",
        "Kaiyu Yang, Gabriel Poesia, Noah Goodman",
        "We translate agent plans into Lean specifications and check pre- and post-conditions before execution, preventing 83% of destructive actions in a sandboxed benchmark.",
    ),
    (
        "2611.05240",
        "16",
        "cs.CV",
        "OmniDocBench v2: A Harder Benchmark for Document Parsing",
        "Linke Ouyang, Yuan Qu, Conghui He",
        "OmniDocBench v2 adds 2,400 pages of scanned, handwritten and multi-column documents. We evaluate 18 parsers including OmniParse (https://github.com/zhiyuan-lab/OmniParse) and MinerU.",
    ),
    (
        "2611.04011",
        "16",
        "cs.CL",
        "Distilling Thinking Budgets: Small Models that Know When to Stop",
        "Yue Wang, Qiuzhi Liu, Zhaopeng Tu",
        "We train small reasoning models to predict their own required thinking budget, cutting average reasoning tokens by 46% with no accuracy loss on MATH-500.",
    ),
    (
        "2611.02754",
        "13",
        "cs.LG",
        "Scaling Laws for Reinforcement Learning on Language Models",
        "Jared Wu, Sam Patel, Alicia Moreno",
        "We fit scaling laws for RL post-training compute across 400 runs and find that gains follow a sigmoid in log-compute whose midpoint shifts with base model size.",
    ),
    (
        "2611.00412",
        "06",
        "cs.CV",
        "Segment Anything in 4D: Temporal Masks for Dynamic Scenes",
        "Nikhila Ravi, Valentin Gabeur, Christoph Feichtenhofer",
        "We extend promptable segmentation to dynamic 4D scenes reconstructed from monocular video.",
    ),
]


def arxiv() -> dict[str, Any]:
    entries: list[Entry] = []
    for i, (aid, day, cat, title, authors, abstract) in enumerate(_ARXIV):
        announce = "cross" if cat not in {"cs.CV", "cs.CL", "cs.AI"} else "new"
        entries.append(
            {
                "d": f"2026-11-{day}T00:00:00-05:00",
                "t": title,
                "l": f"https://arxiv.org/abs/{aid}",
                "guid": f"oai:arXiv.org:{aid}v1",
                "author": authors,
                "cats": [cat],
                "desc": f"arXiv:{aid}v1 Announce Type: {announce} \nAbstract: {abstract}",
                "extra_tags": [
                    ("arxiv:announce_type", announce),
                    ("dc:rights", "http://creativecommons.org/licenses/by/4.0/"),
                ],
            }
        )
        if i == 12:
            # Planted: an entry whose date nobody can parse.
            entries.append(
                {
                    "raw_date": "周四 下午 三点左右",
                    "d": "2026-11-19T00:00:00-05:00",
                    "t": "When Do Mixture-of-Experts Routers Collapse? A Spectral View",
                    "l": "https://arxiv.org/abs/2611.07655",
                    "guid": "oai:arXiv.org:2611.07655v1",
                    "author": "Ilya Markov, Sofia Petrova",
                    "cats": ["cs.LG"],
                    "desc": "arXiv:2611.07655v1 Announce Type: cross \nAbstract: We relate router collapse in mixture-of-experts models to the spectrum of the router weight matrix and propose a cheap spectral regulariser.",
                }
            )
    return {
        "name": "arxiv-cs",
        "title": "arXiv cs.CV / cs.CL / cs.AI",
        "file": "arxiv-cs.xml",
        "format": "rss",
        "region": "国际",
        "weight": 1.0,
        "language": "en-us",
        "link": "http://rss.arxiv.org/rss/cs.CV+cs.CL+cs.AI",
        "self": "http://rss.arxiv.org/rss/cs.CV+cs.CL+cs.AI",
        "description": "cs.CV, cs.CL, cs.AI updates on the arXiv.org e-print archive.",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# GitHub AI 项目周报 — RSS 2.0, one entry per repository, Chinese descriptions, stars in the body
# ---------------------------------------------------------------------------------------------------------

_GH_WEEKLY = [
    # (date, url, name, language, stars, stars_week, one-line title, description)
    (
        "2026-11-20T09:00:00+08:00",
        "https://github.com/zhiyuan-lab/OmniParse?utm_source=ghweekly&utm_medium=rss&utm_campaign=vol-47",
        "zhiyuan-lab/OmniParse",
        "Python",
        12480,
        11930,
        "1.5B 小模型统一文档解析，PDF/PPT/扫描件一键转 Markdown",
        "用一个多模态小模型同时完成版面分析、表格、公式和阅读顺序识别，输出结构化 Markdown 与 JSON，可直接接入 RAG 流水线。提供 pip 包、Docker 镜像与 Web Demo。",
    ),
    (
        "2026-11-20T09:00:00+08:00",
        "https://github.com/tiny-agents/agentforge",
        "tiny-agents/agentforge",
        "Python",
        8620,
        3410,
        "不到 3000 行代码的多智能体框架，零依赖",
        "AgentForge 用「角色 + 消息板」两个概念组织多智能体协作，支持任意 OpenAI 兼容接口，内置检索、代码执行与网页浏览工具。",
    ),
    (
        "2026-11-20T09:00:00+08:00",
        "https://github.com/sjtu-embodied/StreamVLA",
        "sjtu-embodied/StreamVLA",
        "Python",
        2310,
        2100,
        "流式视觉-语言-动作模型，机器人控制 26Hz",
        "StreamVLA 论文官方实现，包含训练代码、7B 权重和 LeRobot 格式的数据转换脚本，支持 Franka 与 ALOHA 2 真机部署。",
    ),
    (
        "2026-11-20T09:00:00+08:00",
        "https://github.com/QwenLM/Qwen3.9",
        "QwenLM/Qwen3.9",
        "Python",
        9120,
        9120,
        "Qwen3.9 系列模型官方仓库",
        "包含 Qwen3.9 全系 8 个模型的推理示例、vLLM/SGLang 部署指南和端侧量化工具。",
    ),
    (
        "2026-11-20T09:00:00+08:00",
        "https://github.com/ml-forge/vllm-lite",
        "ml-forge/vllm-lite",
        "Rust",
        4150,
        1880,
        "用 Rust 重写的轻量 LLM 推理服务，单二进制部署",
        "支持 PagedAttention、连续批处理与投机解码，单个 12MB 二进制文件即可启动 OpenAI 兼容服务，适合边缘设备。",
    ),
    (
        "2026-11-20T09:00:00+08:00",
        "https://gitee.com/ascend/MindSpeed-MoE",
        "ascend/MindSpeed-MoE",
        "Python",
        860,
        620,
        "昇腾 MoE 大模型训练框架（Gitee）",
        "华为昇腾开源的 MoE 训练加速库，支持专家并行通算融合、动态负载均衡，已在 8192 卡规模验证。",
    ),
    (
        "2026-11-19T20:00:00+08:00",
        "https://github.com/deepseek-ai/DeepEP-Router",
        "deepseek-ai/DeepEP-Router",
        "Cuda",
        5400,
        5400,
        "DeepSeek 开源的 MoE 负载均衡路由 CUDA 实现",
        "无辅助损失的负载均衡路由内核，与 DeepEP 通信库配合使用，附带 H800 与 B200 上的基准测试。",
    ),
    (
        "2026-11-19T20:00:00+08:00",
        "https://github.com/openbmb/MiniCPM-o-5",
        "openbmb/MiniCPM-o-5",
        "Python",
        3980,
        1250,
        "端侧全模态模型 MiniCPM-o 5，手机上实时视频通话",
        "8B 参数的端侧全模态模型，支持实时语音与视频流输入，可在高通 NPU 与苹果 ANE 上运行。",
    ),
    (
        "2026-11-19T20:00:00+08:00",
        "https://github.com/rag-lab/graphrag-zh",
        "rag-lab/graphrag-zh",
        "Python",
        2740,
        960,
        "面向中文的 GraphRAG 实现，实体抽取成本降低 80%",
        "使用小模型做中文实体与关系抽取，社区摘要按需生成，索引成本比原版 GraphRAG 低约 80%。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://github.com/ByteDance-Seed/Seed-Coder-2",
        "ByteDance-Seed/Seed-Coder-2",
        "Python",
        6730,
        6730,
        "仓库级代码推理模型 Seed-Coder-2",
        "3B/14B/32B 三个尺寸，Apache-2.0 协议，附 1.2T token 数据清洗流水线。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://github.com/MiniMax-AI/MiniMax-M3",
        "MiniMax-AI/MiniMax-M3",
        "Python",
        4420,
        4420,
        "线性注意力 MoE 模型 MiniMax-M3",
        "620B 总参数、38B 激活，支持 100 万 token 上下文，提供 vLLM 部署脚本。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://github.com/XiaomiMiMo/MiMo-V2",
        "XiaomiMiMo/MiMo-V2",
        "Python",
        2150,
        2150,
        "小米 7B 多模态推理模型",
        "MiMo-V2-7B 模型权重与评测代码，数学视觉推理超过 72B 对手。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://github.com/comfy-org/ComfyUI-Video4K",
        "comfy-org/ComfyUI-Video4K",
        "Python",
        1870,
        1320,
        "ComfyUI 的 4K 视频生成节点包",
        "为 ComfyUI 提供分块超分、时序一致性约束与显存卸载节点，24GB 显卡可生成 4K 视频。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://github.com/deploy-wang/triton-puzzles-cn",
        "deploy-wang/triton-puzzles-cn",
        "Jupyter Notebook",
        1340,
        1010,
        "20 道 Triton 练习题（中文）",
        "从向量加法到 FlashAttention 前向，循序渐进学习 Triton，每题附测试和参考答案。",
    ),
    (
        "2026-11-13T09:00:00+08:00",
        "https://gitee.com/paddlepaddle/PaddleOCR-VL2",
        "paddlepaddle/PaddleOCR-VL2",
        "Python",
        1520,
        700,
        "PaddleOCR-VL 2：0.9B 文档理解模型（Gitee 镜像）",
        "支持 109 种语言的文档识别，表格与公式识别准确率提升明显，提供昆仑芯与昇腾部署方案。",
    ),
    (
        "2026-11-06T09:00:00+08:00",
        "https://github.com/pku-math/MathCoder-R",
        "pku-math/MathCoder-R",
        "Python",
        980,
        980,
        "把几何题翻译成形式化代码再验证",
        "MathCoder-R 论文代码，7B 模型在 IMO-AG-50 上解出 41 题。",
    ),
    (
        "2026-11-06T09:00:00+08:00",
        "https://github.com/ml-explore/mlx",
        "ml-explore/mlx",
        "C++",
        27400,
        1600,
        "苹果芯片上的机器学习框架 MLX 0.40",
        "新增 M5 神经加速器支持，70B 4-bit 模型解码每秒 45 token。",
    ),
    (
        "2026-11-06T09:00:00+08:00",
        "https://github.com/datawhalechina/llm-cookbook-2026",
        "datawhalechina/llm-cookbook-2026",
        "Jupyter Notebook",
        5230,
        1400,
        "面向开发者的大模型手册 2026 版（免费教程）",
        "Datawhale 出品的开源教程，覆盖提示工程、RAG、Agent 与微调，全部中文，配套可运行 Notebook。",
    ),
    (
        "2026-11-06T09:00:00+08:00",
        "https://github.com/huggingface/fineweb-3",
        "huggingface/fineweb-3",
        "Python",
        1760,
        1760,
        "FineWeb-3 数据集处理代码",
        "FineWeb-3 预训练数据集的完整过滤与去重流水线，数据集本身托管在 Hugging Face Hub。",
    ),
    (
        "2026-10-23T09:00:00+08:00",
        "https://github.com/openai/agents-sdk-v2-examples",
        "openai/agents-sdk-v2-examples",
        "Python",
        3300,
        2100,
        "Agent SDK 2.0 示例合集",
        "DevDay 发布的 Agent SDK 2.0 官方示例，包含语音 Agent 与多智能体交接示例。",
    ),
]


def github_weekly() -> dict[str, Any]:
    entries: list[Entry] = []
    for d, url, name, lang, stars, week, title, desc in _GH_WEEKLY:
        host = "Gitee" if "gitee.com" in url else "GitHub"
        body = (
            f"<p><strong>{name}</strong>（{host}）</p><p>{desc}</p>"
            f"<p>语言：{lang} ｜ ⭐ {stars:,} ｜ 本周新增 {week:,}</p>"
            f'<p>项目地址：<a href="{url}">{url.split("?")[0]}</a></p>'
        )
        entries.append(
            {
                "d": d,
                "t": f"{name}：{title}",
                "l": url,
                "guid": f"ghweekly-{name}",
                "author": "GitHub AI 项目周报",
                "cats": [lang, host],
                "desc": body,
            }
        )
    return {
        "name": "github-ai-weekly",
        "title": "GitHub AI 项目周报",
        "file": "github-ai-weekly.xml",
        "format": "rss",
        "region": "中文圈",
        "weight": 1.0,
        "language": "zh-cn",
        "link": "https://ghweekly.example.org/",
        "self": "https://ghweekly.example.org/feed.xml",
        "description": "每周五更新：GitHub 与 Gitee 上值得关注的 AI 开源项目",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# English lab blogs
# ---------------------------------------------------------------------------------------------------------


def _img(url: str) -> str:
    return f'<p><img src="{url}" alt="" width="1200" height="675"></p>'


def openai_news() -> dict[str, Any]:
    def e(d: str, t: str, slug: str, desc: str, cat: str, **kw: Any) -> Entry:
        entry = {
            "d": d,
            "t": t,
            "l": f"https://openai.com/index/{slug}/",
            "guid": f"https://openai.com/index/{slug}/",
            "cats": [cat],
            "desc": desc,
            "media": f"https://images.ctfassets.example.net/kftzwdyauwt9/{_h(slug, 20)}/{slug}.png?w=1600",
        }
        entry.update(kw)
        return entry

    entries = [
        e(
            "2026-11-19T17:00:00Z",
            "Introducing GPT-5.7",
            "introducing-gpt-5-7",
            "GPT-5.7 is our strongest model for coding and long-running agentic work. It scores 81.4% on SWE-bench Verified and 89.1% on GPQA Diamond, supports a 1M-token context window and adapts how long it thinks to the difficulty of each request. GPT-5.7 is available today in ChatGPT and in the API at $1.50 per million input tokens and $12 per million output tokens, about 40% less than GPT-5.5.",
            "Product",
        ),
        e(
            "2026-11-19T17:00:00Z",
            "GPT-5.7 System Card",
            "gpt-5-7-system-card",
            "This system card describes the safety evaluations we ran before releasing GPT-5.7, including cybersecurity, biology and self-exfiltration evaluations under our Preparedness Framework.",
            "Safety",
        ),
        e(
            "2026-11-20T01:30:00Z",
            "Codex is now generally available in Slack and Linear",
            "codex-slack-linear",
            "Teams can now assign issues to Codex directly from Slack threads and Linear tickets. Codex opens a pull request when it is done and answers review comments.",
            "Product",
        ),
        e(
            "2026-11-18T16:00:00Z",
            "Monitoring reasoning models for misbehavior",
            "monitoring-reasoning-models",
            "We share new results on chain-of-thought monitoring: a weaker monitor model can catch 92% of deliberately planted reward hacks when it reads the reasoning, but only 31% when it sees actions alone.",
            "Research",
        ),
        e(
            "2026-11-17T15:00:00Z",
            "OpenAI for Countries: Stargate Nordics",
            "stargate-nordics",
            "We are partnering with Nordic energy providers to build a 1.2 GW data center campus powered by hydro and wind energy.",
            "Global Affairs",
        ),
        e(
            "2026-11-14T18:00:00Z",
            "Introducing gpt-realtime-2",
            "introducing-gpt-realtime-2",
            "gpt-realtime-2 is our most natural speech-to-speech model, with better instruction following, function calling in the middle of a sentence and 20% lower latency.",
            "Product",
        ),
        e(
            "2026-11-12T17:00:00Z",
            "Sora 3 is rolling out to Europe",
            "sora-3-europe",
            "Starting today, Sora 3 is available to ChatGPT Plus and Pro users in the European Union, the United Kingdom and Switzerland.",
            "Product",
        ),
        # Planted: an empty body (no text at all in the description).
        e(
            "2026-11-11T16:00:00Z",
            "OpenAI Residency 2027 applications are open",
            "residency-2027",
            "",
            "Company",
        ),
        e(
            "2026-11-10T17:00:00Z",
            "How people use ChatGPT for learning",
            "chatgpt-for-learning",
            "A study of 1.5 million anonymised conversations shows that learning and tutoring is now the second most common use of ChatGPT, after writing help.",
            "Research",
        ),
        e(
            "2026-11-07T17:00:00Z",
            "Responses API: background mode and MCP connectors",
            "responses-api-updates",
            "The Responses API now supports background mode for long tasks and remote MCP connectors for tools hosted by third parties.",
            "API",
        ),
        e(
            "2026-10-29T17:00:00Z",
            "DevDay 2026 recap",
            "devday-2026-recap",
            "Everything we announced at DevDay 2026: Agent SDK 2.0, cheaper realtime voice and apps inside ChatGPT.",
            "Company",
        ),
    ]
    return {
        "name": "openai-news",
        "title": "OpenAI News",
        "file": "openai-news.xml",
        "format": "rss",
        "region": "国际",
        "weight": 1.5,
        "language": "en-us",
        "link": "https://openai.com/news/",
        "self": "https://openai.com/news/rss.xml",
        "description": "The OpenAI blog",
        "entries": entries,
    }


def huggingface_blog() -> dict[str, Any]:
    def e(d: str, t: str, slug: str, author: str, paras: list[str], **kw: Any) -> Entry:
        thumb = f"https://huggingface.co/blog/assets/{slug}/thumbnail.png"
        entry = {
            "d": d,
            "t": t,
            "l": f"https://huggingface.co/blog/{slug}",
            "author": author,
            "desc": paras[0],
            "body": _img(thumb) + "".join(f"<p>{p}</p>" for p in paras),
            "media": thumb,
        }
        entry.update(kw)
        return entry

    entries = [
        e(
            "2026-11-19T14:30:00Z",
            "Welcome Qwen3.9 to the Hugging Face Hub",
            "qwen3-9",
            "merve, reach-vb",
            [
                "The Qwen team released Qwen3.9 today: eight open-weight models from 0.8B to a 480B-A35B mixture of experts, all under Apache-2.0.",
                "All checkpoints work out of the box with transformers, vLLM, SGLang, llama.cpp and MLX. The 0.8B and 4B models come with INT4 GGUF files for phones and laptops.",
                'Try them in the playground: <a href="https://huggingface.co/collections/Qwen/qwen39">huggingface.co/collections/Qwen/qwen39</a>.',
            ],
        ),
        e(
            "2026-11-18T13:00:00Z",
            "Open-R2: a fully open recipe for reasoning models",
            "open-r2",
            "lewtun, edbeeching",
            [
                "Today we are releasing Open-R2, everything you need to train a reasoning model from scratch: 4.2M verified traces, the RL code and every checkpoint.",
                "Our 32B model matches closed models of similar size on AIME 2026 and LiveCodeBench. Training took under 60k H100 hours.",
                "Read the paper: https://arxiv.org/pdf/2611.03150v2 and grab the code at https://github.com/huggingface/open-r2.",
            ],
        ),
        e(
            "2026-11-20T10:00:00Z",
            "SmolVLM-3: a 500M vision-language model that reads documents",
            "smolvlm-3",
            "andito, mfarre",
            [
                "SmolVLM-3 is a 500M-parameter vision-language model that runs in the browser with WebGPU and handles multi-page documents.",
                "It reaches 78.2 on DocVQA, better than models ten times its size from a year ago.",
            ],
        ),
        e(
            "2026-11-20T08:00:00Z",
            "LeRobot 1.0: from dataset to deployed policy in one afternoon",
            "lerobot-1-0",
            "cadene, aractingi",
            [
                "LeRobot reaches 1.0 with a stable dataset format, asynchronous inference and support for 14 robot arms and two humanoids.",
                "Policies such as StreamVLA and SmolVLA-2 can be trained and deployed with the same three commands.",
            ],
        ),
        e(
            "2026-11-17T12:00:00Z",
            "FineWeb-3: 40 trillion tokens of clean multilingual web text",
            "fineweb-3",
            "guipenedo, hynky",
            [
                "We are releasing FineWeb-3, a 40T-token pretraining dataset covering 1,100 languages, with a dedicated 3T-token Chinese subset.",
                "The dataset is free to download under the ODC-By licence, and the processing code is open-source.",
            ],
        ),
        e(
            "2026-11-16T09:00:00Z",
            "The Agents Course, second edition",
            "agents-course-2",
            "burtenshaw, Jofthomas",
            [
                "The free Hugging Face Agents Course is back with a second edition covering MCP, computer-use agents and agent evaluation.",
                "Finish all units to get a certificate. Sign up at https://huggingface.co/learn/agents-course.",
            ],
        ),
        e(
            "2026-11-14T11:00:00Z",
            "Transformers v5.3: continuous batching everywhere",
            "transformers-v5-3",
            "ArthurZ, LysandreJik",
            [
                "Transformers v5.3 brings continuous batching and paged attention to the generate API, making it a reasonable serving option for small deployments."
            ],
        ),
        e(
            "2026-11-12T15:00:00Z",
            "How we evaluate Chinese LLMs on the Open LLM Leaderboard",
            "chinese-eval",
            "clefourrier",
            [
                "We added Chinese SimpleQA-2 and C-Eval-Hard to the leaderboard and explain how we prevent contamination."
            ],
        ),
        e(
            "2026-11-10T10:00:00Z",
            "Fine-tune Gemma 4 on a single consumer GPU with QLoRA",
            "gemma4-qlora",
            "pcuenq",
            ["A step-by-step guide to fine-tuning Gemma 4 12B on a 24GB GPU with QLoRA and TRL."],
        ),
        e(
            "2026-11-08T09:00:00Z",
            "Kernel Hub: share optimized GPU kernels like models",
            "kernel-hub",
            "danieldk, drbh",
            [
                "Kernel Hub lets you load optimized GPU kernels straight from the Hub, with versioning and hardware detection."
            ],
        ),
        e(
            "2026-10-27T09:00:00Z",
            "Hugging Face at PyTorch Conference 2026",
            "pytorch-conf-2026",
            "huggingface",
            ["A summary of our talks and demos at PyTorch Conference 2026."],
        ),
    ]
    return {
        "name": "huggingface-blog",
        "title": "Hugging Face Blog",
        "file": "huggingface-blog.atom",
        "format": "atom",
        "region": "国际",
        "weight": 1.3,
        "language": "en",
        "link": "https://huggingface.co/blog",
        "self": "https://huggingface.co/blog/feed.atom",
        "description": "Articles from the Hugging Face team and community",
        "image": "https://huggingface.co/front/assets/huggingface_logo-noborder.svg",
        "entries": entries,
    }


def deepmind_blog() -> dict[str, Any]:
    def e(d: str, t: str, slug: str, desc: str, **kw: Any) -> Entry:
        entry = {
            "d": d,
            "t": t,
            "l": f"https://deepmind.google/discover/blog/{slug}/",
            "desc": desc,
            "enclosure": f"https://lh3.googleusercontent.com/{_h(slug, 28)}=w1200-h675-n",
        }
        entry.update(kw)
        return entry

    entries = [
        e(
            "2026-11-19T16:00:00Z",
            "Gemini 3.8 Flash: frontier intelligence at Flash speed",
            "gemini-3-8-flash",
            "Gemini 3.8 Flash is twice as fast as 3.5 Flash, outputs 420 tokens per second and costs $0.15 per million input tokens. It reaches 72.0% on SWE-bench Verified and 81.5% on MMMU-Pro, and becomes the default model in the Gemini app.",
        ),
        e(
            "2026-11-18T15:00:00Z",
            "AlphaProof 2: formal mathematics at research level",
            "alphaproof-2",
            "AlphaProof 2 proved two open conjectures in combinatorics in Lean 4. The results are published in Nature today.",
        ),
        e(
            "2026-11-20T09:00:00Z",
            "Genie 4: real-time interactive worlds for training agents",
            "genie-4",
            "Genie 4 generates interactive 3D environments at 24 frames per second for up to ten minutes, and we use them to train embodied agents.",
        ),
        e(
            "2026-11-13T14:00:00Z",
            "WeatherNext 3 brings hourly global forecasts to Google Maps",
            "weathernext-3",
            "WeatherNext 3 produces hourly global forecasts 15 days ahead and now powers weather in Google Search and Maps.",
        ),
        e(
            "2026-11-11T14:00:00Z",
            "Gemma 4n: on-device multimodal models for phones",
            "gemma-4n",
            "Gemma 4n runs audio, image and text understanding on phones with 2GB of memory.",
        ),
        e(
            "2026-11-09T14:00:00Z",
            "AlphaFold 4 predicts how drugs bind to proteins",
            "alphafold-4",
            "AlphaFold 4 improves protein-ligand structure prediction accuracy by 30% over AlphaFold 3 and is free for academic use.",
        ),
        e(
            "2026-11-06T14:00:00Z",
            "Our approach to frontier safety in 2027",
            "frontier-safety-2027",
            "An update to our Frontier Safety Framework with new critical capability levels for autonomous research.",
        ),
        e(
            "2026-10-21T14:00:00Z",
            "Veo 4 and Flow updates",
            "veo-4-flow",
            "Veo 4 brings native 4K and synchronized dialogue to AI filmmaking in Flow.",
        ),
    ]
    return {
        "name": "deepmind-blog",
        "title": "Google DeepMind Blog",
        "file": "deepmind-blog.xml",
        "format": "rss",
        "region": "国际",
        "weight": 1.4,
        "language": "en",
        "link": "https://deepmind.google/discover/blog/",
        "self": "https://deepmind.google/blog/rss.xml",
        "description": "Google DeepMind news and research",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# The Decoder-style English tech media — RSS 2.0 with content:encoded, WordPress tracking params
# ---------------------------------------------------------------------------------------------------------

_DECODER = [
    # (date, slug, title, author, paragraphs)
    (
        "2026-11-19T18:10:00Z",
        "openai-releases-gpt-5-7-with-81-percent-on-swe-bench-and-lower-prices",
        "OpenAI releases GPT-5.7 with 81.4 percent on SWE-bench Verified and 40 percent lower prices",
        "Maximilian Schreiner",
        [
            "OpenAI has released GPT-5.7, its new flagship model for coding and agents.",
            "According to OpenAI, the model reaches 81.4 percent on SWE-bench Verified and supports a context window of one million tokens. API prices drop to $1.50 and $12 per million input and output tokens.",
            "The company rates the model's cybersecurity capabilities as high but says safeguards keep the risk manageable.",
        ],
    ),
    (
        "2026-11-19T16:40:00Z",
        "google-makes-gemini-3-8-flash-the-default-model-in-the-gemini-app",
        "Google makes Gemini 3.8 Flash the default in the Gemini app",
        "Jonathan Kemper",
        [
            "Gemini 3.8 Flash is twice as fast as its predecessor and costs $0.15 per million input tokens.",
            "Google says the model scores 72.0 percent on SWE-bench Verified, beating Gemini 3 Pro from earlier this year.",
        ],
    ),
    (
        "2026-11-20T07:20:00Z",
        "qwen3-9-open-weights-480b-moe-closes-gap-to-closed-models",
        "Alibaba's Qwen3.9 brings open-weight models within striking distance of GPT-5.7",
        "Matthias Bastian",
        [
            "Alibaba has released eight Qwen3.9 models under Apache-2.0, from 0.8B to a 480B-A35B mixture of experts.",
            "On LiveCodeBench v7 the largest model scores 78.9, close to the best closed models.",
        ],
    ),
    (
        "2026-11-20T09:45:00Z",
        "tencent-hunyuan-t3-trillion-parameter-reasoning-model",
        "Tencent unveils Hunyuan-T3, a 1.2 trillion parameter reasoning model",
        "Matthias Bastian",
        [
            "Tencent's Hunyuan-T3 combines Mamba and Transformer layers and activates 52 billion of its 1.2 trillion parameters.",
            "It tops C-Eval with 93.6 points.",
        ],
    ),
    (
        "2026-11-20T06:00:00Z",
        "stanford-study-ai-agents-complete-37-percent-of-freelance-tasks",
        "AI agents can now complete 37 percent of real freelance jobs on their own, Stanford study finds",
        "Jonathan Kemper",
        [
            "Researchers tested nine agents on 1,200 real freelance tasks.",
            "The best agent finished 37 percent of tasks at four percent of the human price; misunderstood requirements caused half of the failures.",
        ],
    ),
    (
        "2026-11-19T10:30:00Z",
        "browsing-agents-answer-without-visiting-relevant-pages",
        "Browsing agents often answer without visiting a single relevant page",
        "Maximilian Schreiner",
        [
            "A new audit finds that 38 percent of correct answers from browsing agents come without any relevant page being opened.",
            "The authors argue static browsing benchmarks reward memorization rather than search.",
        ],
    ),
    (
        "2026-11-18T14:00:00Z",
        "moonshot-kimi-k3-5-hle-52-percent-two-million-token-context",
        "Moonshot's Kimi K3.5 scores 52.3 percent on Humanity's Last Exam and handles two million tokens",
        "Matthias Bastian",
        [
            "Moonshot AI has released Kimi K3.5 with a two-million-token context window and up to 300 tool-calling steps.",
            "With tools enabled, K3.5 scores 52.3 percent on HLE. Moonshot plans to release the weights within two weeks.",
        ],
    ),
    (
        "2026-11-17T12:15:00Z",
        "xai-grok-5-six-trillion-parameters",
        "xAI launches Grok 5, which Musk says has six trillion parameters",
        "Jonathan Kemper",
        ["Grok 5 is now available to X Premium subscribers. xAI did not publish a technical report."],
    ),
    (
        "2026-11-16T11:00:00Z",
        "deepseek-v4-1-halves-long-context-inference-cost",
        "DeepSeek V4.1 arrives without fanfare and halves long-context inference costs",
        "Maximilian Schreiner",
        [
            "DeepSeek released V4.1 without an announcement event. A combination of sparse attention and shared experts cuts long-context inference costs by about half.",
            "Output tokens now cost three yuan per million, roughly $0.42.",
        ],
    ),
    (
        "2026-11-14T09:00:00Z",
        "anthropic-claude-opus-5-2-runs-for-30-hours",
        "Anthropic's Claude Opus 5.2 works on a single task for more than 30 hours",
        "Matthias Bastian",
        ["Claude Opus 5.2 scores 68.5 percent on Terminal-Bench 2 and is built for very long agentic tasks."],
    ),
    (
        "2026-11-13T15:30:00Z",
        "nvidia-data-center-revenue-62-billion",
        "Nvidia's data center revenue hits $62 billion as Rubin ships",
        "Jonathan Kemper",
        ["Nvidia reported $71.8 billion in quarterly revenue, $62 billion of it from data centers."],
    ),
    (
        "2026-11-12T10:00:00Z",
        "world-labs-marble-2-interactive-3d-worlds-from-one-image",
        "World Labs' Marble 2 turns one image into an explorable 3D world",
        "Jonathan Kemper",
        ["Marble 2 quadruples scene size and exports Gaussian splats or meshes with physics properties."],
    ),
    (
        "2026-11-11T08:00:00Z",
        "eu-ai-act-gpai-code-of-practice-first-audits",
        "EU begins first audits under the AI Act's code of practice for general-purpose models",
        "Matthias Bastian",
        [
            "The EU AI Office has started reviewing documentation from eleven providers of general-purpose AI models."
        ],
    ),
    (
        "2026-11-09T13:00:00Z",
        "study-reward-hacking-common-in-coding-rl",
        "Reward hacking shows up in one in seven RL training runs, audit finds",
        "Maximilian Schreiner",
        [
            "An audit of 1,200 reinforcement learning runs found test tampering as the most common form of reward hacking."
        ],
    ),
    (
        "2026-11-07T09:00:00Z",
        "stable-diffusion-4-open-weights",
        "Stability AI releases Stable Diffusion 4 with open weights and built-in editing",
        "Jonathan Kemper",
        ["The 8B model unifies text-to-image generation and instruction-based editing."],
    ),
    (
        "2026-10-31T09:00:00Z",
        "october-2026-ai-model-releases",
        "Every major AI model released in October 2026",
        "Matthias Bastian",
        ["A roundup of October's model releases."],
    ),
]


def the_decoder() -> dict[str, Any]:
    entries: list[Entry] = []
    for d, slug, title, author, paras in _DECODER:
        url = f"https://the-decoder.com/{slug}/"
        img = f"https://the-decoder.com/wp-content/uploads/2026/11/{slug[:40]}.png"
        entries.append(
            {
                "d": d,
                "t": title,
                "l": url + "?utm_source=rss&utm_medium=rss&utm_campaign=" + slug[:30],
                "guid": f"https://the-decoder.com/?p={20000 + int(_h(slug, 4), 16) % 9999}",
                "author": author,
                "cats": ["AI and society" if "study" in slug else "AI research"],
                "desc": paras[0],
                "body": f'<figure><img src="{img}" alt="" width="1536" height="864"></figure>'
                + "".join(f"<p>{p}</p>" for p in paras)
                + f'<p>The post <a href="{url}">{title}</a> appeared first on <a href="https://the-decoder.com">THE DECODER</a>.</p>',
            }
        )
    # Planted: an item without a <title>.
    entries.insert(
        3,
        {
            "d": "2026-11-19T08:00:00Z",
            "l": "https://the-decoder.com/meta-publishes-llama-5-scout-technical-report/?utm_source=rss&utm_medium=rss",
            "author": "Maximilian Schreiner",
            "desc": "Meta has published a 92-page technical report on Llama 5 Scout, detailing how it reached a ten-million-token context.",
            "body": "<p>Meta has published a 92-page technical report on Llama 5 Scout, detailing how it reached a ten-million-token context.</p>"
            "<p>The report admits that accuracy on long-document reasoning drops beyond two million tokens.</p>",
        },
    )
    return {
        "name": "the-decoder",
        "title": "The Decoder",
        "file": "the-decoder.xml",
        "format": "rss",
        "region": "国际",
        "weight": 1.0,
        "language": "en-US",
        "link": "https://the-decoder.com/",
        "self": "https://the-decoder.com/feed/",
        "description": "Artificial Intelligence: News, Business, Research",
        "generator": "https://wordpress.org/?v=6.9",
        "entries": entries,
    }


# ---------------------------------------------------------------------------------------------------------
# 51CTO 人工智能 — a Chinese portal feed served in GBK (proves non-UTF-8 decoding), +0800
# ---------------------------------------------------------------------------------------------------------

_CTO = [
    (
        "2026-11-20T11:20:00+08:00",
        "ai-20261120-01",
        "Kimi K3.5 正式上线：人类最后的考试得分 52.3%，权重两周内开源",
        [
            "月之暗面 18 日发布的 Kimi K3.5 已向全部用户开放。开启工具调用后，K3.5 在 HLE 上的得分为 52.3%。",
            "K3.5 支持 200 万 token 上下文，最多可自主调用工具 300 步。月之暗面表示，模型权重将于两周内开源。",
            "多家云厂商已宣布将在第一时间上架 K3.5。",
        ],
    ),
    (
        "2026-11-20T10:05:00+08:00",
        "ai-20261120-02",
        "工信部：年底前发布人工智能大模型标准体系建设指南",
        [
            "工信部相关负责人表示，大模型标准体系建设指南将于年底前发布，涵盖基础共性、关键技术与行业应用三个层面。"
        ],
    ),
    (
        "2026-11-20T09:10:00+08:00",
        "ai-20261120-03",
        "华为开源 MindSpeed-MoE：昇腾超节点 MoE 训练 MFU 超 50%",
        [
            "华为昇腾开源 MoE 训练框架 MindSpeed-MoE，代码托管于 Gitee。",
            "官方数据显示，在 8192 卡规模下训练千亿 MoE 模型的 MFU 达到 52%。",
            "项目地址：https://gitee.com/ascend/MindSpeed-MoE",
        ],
    ),
    (
        "2026-11-20T08:00:00+08:00",
        "ai-20261120-04",
        "阿里 Qwen3.9 开源：最大模型 480B，手机端版本仅 0.8B",
        [
            "阿里通义千问团队开源 Qwen3.9 系列，共 8 个尺寸，其中旗舰模型为 480B 总参数的 MoE 模型。",
            "0.8B 和 4B 版本面向手机等端侧设备，支持 INT4 量化部署。",
        ],
    ),
    (
        "2026-11-19T20:30:00+08:00",
        "ai-20261119-04",
        "免费资源：2026 中文大模型评测数据集合集（附下载地址）",
        [
            "本文整理了 12 个 2026 年发布的中文大模型评测数据集，包括 Chinese SimpleQA-2、C-MTEB 2 等，均可免费下载。"
        ],
    ),
    (
        "2026-11-19T17:30:00+08:00",
        "ai-20261119-01",
        "百度发布文心 ERNIE 6，文心一言更名为“文心”",
        ["百度世界大会上，百度发布 ERNIE 6 大模型，支持文本、图像、音频和视频的统一理解与生成。"],
    ),
    (
        "2026-11-19T14:00:00+08:00",
        "ai-20261119-02",
        "开源鸿蒙 AI 子系统发布：端侧大模型统一推理接口",
        [
            "开放原子开源基金会发布开源鸿蒙 AI 子系统，为端侧大模型提供统一推理接口。",
            "代码仓库：https://gitee.com/openharmony/ai_inference_framework",
        ],
    ),
    (
        "2026-11-19T09:30:00+08:00",
        "ai-20261119-03",
        "智谱 GLM-5.4 上线：Agent 能力对标国际一线模型",
        ["智谱 GLM-5.4 原生支持 256K 上下文，同时开源 GLM-5.4-Air。"],
    ),
    (
        "2026-11-18T16:00:00+08:00",
        "ai-20261118-01",
        "IDC：2026 年中国大模型平台市场规模将达 98 亿元",
        ["IDC 最新报告预计，2026 年中国大模型平台市场规模将达到 98 亿元，同比增长 126%。"],
    ),
    (
        "2026-11-17T10:00:00+08:00",
        "ai-20261117-01",
        "大模型应用开发实战课程免费开放：从 RAG 到 Agent",
        ["51CTO 学堂上线免费课程《大模型应用开发实战》，共 24 课时，涵盖 RAG、Agent 与模型微调。"],
    ),
    (
        "2026-11-15T11:00:00+08:00",
        "ai-20261115-01",
        "DeepSeek V4.1 推理成本下降一半，API 价格同步下调",
        [
            "DeepSeek 近日上线 V4.1 版本，长上下文推理成本较 V4 下降约 50%，API 输出价格调整为每百万 token 3 元。"
        ],
    ),
    (
        "2026-11-12T15:00:00+08:00",
        "ai-20261112-01",
        "阿里妈妈生成式推荐全量上线，双十一峰值 QPS 80 万",
        ["阿里妈妈生成式推荐模型 LUM-2 在双十一期间全量上线。"],
    ),
    (
        "2026-11-10T09:00:00+08:00",
        "ai-20261110-01",
        "国产 AI 芯片出货量三季度同比增长 85%",
        ["第三方机构数据显示，国产 AI 加速芯片三季度出货量同比增长 85%。"],
    ),
    (
        "2026-10-20T09:00:00+08:00",
        "ai-20261020-01",
        "2026 云栖大会：通义发布 Qwen3.5 系列",
        ["云栖大会上，阿里云发布了 Qwen3.5 系列模型。"],
    ),
]


def cto51_gbk() -> dict[str, Any]:
    entries = [
        {
            "d": d,
            "t": t,
            "l": f"https://ai.51cto.example.com/art/202611/{slug}.htm",
            "author": "51CTO 编辑部",
            "desc": "".join(f"<p>{p}</p>" for p in paras),
        }
        for d, slug, t, paras in _CTO
    ]
    return {
        "name": "51cto-ai",
        "title": "51CTO 人工智能",
        "file": "51cto-ai-gbk.xml",
        "format": "rss",
        "encoding": "gbk",
        "region": "中文圈",
        "weight": 0.7,
        "language": "zh-cn",
        "link": "https://ai.51cto.example.com/",
        "self": "https://ai.51cto.example.com/rss.xml",
        "description": "51CTO 人工智能频道：人工智能新闻、技术与应用",
        "entries": entries,
    }


def feeds() -> list[dict[str, Any]]:
    return [
        jiqizhixin(),
        qbitai(),
        xinzhiyuan(),
        jizhi_shutong(),
        arxiv(),
        github_weekly(),
        openai_news(),
        huggingface_blog(),
        deepmind_blog(),
        the_decoder(),
        cto51_gbk(),
    ]


# ---------------------------------------------------------------------------------------------------------
# GitHub Trending (daily) — HTML snapshot in GitHub's own markup
# ---------------------------------------------------------------------------------------------------------

TRENDING_SOURCE = {
    "name": "github-trending",
    "title": "GitHub Trending",
    "kind": "github_trending",
    "file": "github-trending-daily.html",
    "region": "国际",
    "weight": 0.8,
}

_LANG_COLORS = {
    "Python": "#3572A5",
    "TypeScript": "#3178c6",
    "Rust": "#dea584",
    "Go": "#00ADD8",
    "C++": "#f34b7d",
    "Cuda": "#3A4E3A",
    "JavaScript": "#f1e05a",
    "Swift": "#F05138",
    "Zig": "#ec915c",
    "Jupyter Notebook": "#DA5B0B",
}

# (owner/repo, language or None, total stars, forks, stars today, description or None, ai?)
TRENDING = [
    (
        "zhiyuan-lab/OmniParse",
        "Python",
        12480,
        1032,
        1876,
        "Parse any document (PDF, PPT, DOCX, scans) into clean Markdown with a single 1.5B multimodal model. Built for RAG.",
        True,
    ),
    (
        "tiny-agents/agentforge",
        "Python",
        8620,
        641,
        1203,
        "A zero-dependency multi-agent framework in under 3k lines. Roles, a shared message board, any OpenAI-compatible LLM.",
        True,
    ),
    (
        "ml-forge/vllm-lite",
        "Rust",
        4150,
        212,
        655,
        "Single-binary LLM inference server in Rust: paged attention, continuous batching, speculative decoding.",
        True,
    ),
    (
        "sindre-labs/tinybench-cli",
        "TypeScript",
        3120,
        88,
        540,
        "Benchmark any shell command with statistical rigor and pretty charts.",
        False,
    ),
    (
        "QwenLM/Qwen3.9",
        "Python",
        9120,
        744,
        2390,
        "Qwen3.9 is the large language model series developed by the Qwen team, Alibaba Cloud.",
        True,
    ),
    (
        "deepseek-ai/DeepEP-Router",
        "Cuda",
        5400,
        301,
        1510,
        "Auxiliary-loss-free load-balancing router kernels for Mixture-of-Experts.",
        True,
    ),
    (
        "hashicorp-community/terraform-lsp-next",
        "Go",
        2210,
        140,
        310,
        "A fast language server for Terraform and OpenTofu.",
        False,
    ),
    (
        "sjtu-embodied/StreamVLA",
        "Python",
        2310,
        187,
        420,
        "[arXiv 2611.04417] StreamVLA: Streaming Vision-Language-Action Models for Real-Time Robot Control",
        True,
    ),
    (
        "excalidraw-labs/excalidraw-desktop",
        "TypeScript",
        6840,
        330,
        402,
        "Excalidraw as a native desktop app with local-first sync.",
        False,
    ),
    (
        "rag-lab/graphrag-zh",
        "Python",
        2740,
        265,
        388,
        "GraphRAG for Chinese: cheap entity extraction with small models, on-demand community summaries.",
        True,
    ),
    ("ghostty-org/ghostty-themes", None, 1450, 61, 275, None, False),
    (
        "openbmb/MiniCPM-o-5",
        "Python",
        3980,
        290,
        351,
        "MiniCPM-o 5: a GPT-5-level omni model for real-time video calls on your phone.",
        True,
    ),
    (
        "comfy-org/ComfyUI-Video4K",
        "Python",
        1870,
        120,
        333,
        "Tiled upscaling, temporal consistency and VRAM offloading nodes for 4K video diffusion in ComfyUI.",
        True,
    ),
    (
        "tigerbeetle/tigerbeetle",
        "Zig",
        13100,
        640,
        260,
        "The financial transactions database designed for mission critical safety and performance.",
        False,
    ),
    (
        "browser-use/browser-use-2",
        "Python",
        11870,
        1405,
        980,
        "Make websites accessible for AI agents. Automate tasks online with ease.",
        True,
    ),
    (
        "mlc-ai/web-llm-2",
        "TypeScript",
        5320,
        402,
        300,
        "High-performance in-browser LLM inference engine with WebGPU.",
        True,
    ),
    (
        "apple-oss/swift-async-algorithms-next",
        "Swift",
        990,
        45,
        190,
        "Async sequence and stream algorithms for Swift concurrency.",
        False,
    ),
    (
        "Dao-AILab/flash-attention",
        "Python",
        21450,
        2140,
        280,
        "Fast and memory-efficient exact attention",
        True,
    ),
    (
        "jqlang/jq-next",
        "C++",
        1680,
        70,
        170,
        "A rewrite of jq with streaming and a JIT for huge JSON files.",
        False,
    ),
    (
        "selfhost-org/photoprism-lite",
        "Go",
        2470,
        110,
        150,
        "Self-hosted photo library that runs on a Raspberry Pi.",
        False,
    ),
    (
        "pdf-tools/pdf.js-reader",
        "JavaScript",
        1310,
        99,
        140,
        "A minimal, fast PDF reader for the web built on pdf.js.",
        False,
    ),
]

_STAR_SVG = (
    '<svg aria-label="star" role="img" height="16" viewBox="0 0 16 16" version="1.1" width="16" '
    'data-view-component="true" class="octicon octicon-star"><path d="M8 .25a.75.75 0 0 1 .673.418l1.882 '
    "3.815 4.21.612a.75.75 0 0 1 .416 1.279l-3.046 2.97.719 4.192a.751.751 0 0 1-1.088.791L8 12.347l-3.766 "
    "1.98a.75.75 0 0 1-1.088-.79l.72-4.194L.818 6.374a.75.75 0 0 1 .416-1.28l4.21-.611L7.327.668A.75.75 0 0 1 "
    '8 .25Z"></path></svg>'
)
_FORK_SVG = (
    '<svg aria-label="fork" role="img" height="16" viewBox="0 0 16 16" version="1.1" width="16" '
    'data-view-component="true" class="octicon octicon-repo-forked"><path d="M5 5.372v.878c0 .414.336.75.75.75h4.5a.75.75 '
    "0 0 0 .75-.75v-.878a2.25 2.25 0 1 1 1.5 0v.878a2.25 2.25 0 0 1-2.25 2.25h-1.5v2.128a2.251 2.251 0 1 1-1.5 0V8.5h-1.5A2.25 "
    '2.25 0 0 1 3.5 6.25v-.878a2.25 2.25 0 1 1 1.5 0Z"></path></svg>'
)
_REPO_SVG = (
    '<svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" data-view-component="true" '
    'class="octicon octicon-repo mr-1 color-fg-muted"><path d="M2 2.5A2.5 2.5 0 0 1 4.5 0h8.75a.75.75 0 0 1 '
    ".75.75v12.5a.75.75 0 0 1-.75.75h-2.5a.75.75 0 0 1 0-1.5h1.75v-2h-8a1 1 0 0 0-.714 1.7.75.75 0 1 1-1.072 "
    '1.05A2.495 2.495 0 0 1 2 11.5Z"></path></svg>'
)


def _trending_row(repo: str, lang: str | None, stars: int, forks: int, today: int, desc: str | None) -> str:
    owner, name = repo.split("/")
    uid = int(_h(owner, 6), 16) % 90000000 + 1000000
    lines = [
        '    <article class="Box-row">',
        '      <div class="float-right d-flex">',
        f'        <a href="/login?return_to=%2F{owner}%2F{name}" rel="nofollow" aria-label="You must be signed in to star a repository" '
        'data-view-component="true" class="tooltipped tooltipped-sw btn-sm btn">' + _STAR_SVG + "Star</a>",
        "      </div>",
        '      <h2 class="h3 lh-condensed">',
        f'        <a data-hydro-click="{{&quot;event_type&quot;:&quot;explore.click&quot;,&quot;payload&quot;:{{&quot;click_context&quot;:&quot;TRENDING_REPOSITORIES_PAGE&quot;,&quot;click_target&quot;:&quot;REPOSITORY&quot;}}}}" '
        f'href="/{owner}/{name}" data-view-component="true" class="Link">',
        "          " + _REPO_SVG,
        '          <span data-view-component="true" class="text-normal">',
        f"            {owner} /",
        "          </span>",
        f"          {name}",
        "        </a>",
        "      </h2>",
    ]
    if desc:
        lines += [
            '      <p class="col-9 color-fg-muted my-1 pr-4">',
            f"        {desc.replace('&', '&amp;').replace('<', '&lt;')}",
            "      </p>",
        ]
    lines.append('      <div class="f6 color-fg-muted mt-2">')
    if lang:
        lines += [
            '        <span class="d-inline-block ml-0 mr-3">',
            f'          <span class="repo-language-color" style="background-color: {_LANG_COLORS[lang]}"></span>',
            f'          <span itemprop="programmingLanguage">{lang}</span>',
            "        </span>",
        ]
    lines += [
        f'        <a href="/{owner}/{name}/stargazers" data-view-component="true" class="Link--muted d-inline-block mr-3">',
        "          " + _STAR_SVG,
        f"          {stars:,}",
        "        </a>",
        f'        <a href="/{owner}/{name}/forks" data-view-component="true" class="Link--muted d-inline-block mr-3">',
        "          " + _FORK_SVG,
        f"          {forks:,}",
        "        </a>",
        '        <span class="d-inline-block mr-3">',
        "          Built by",
        f'          <a class="d-inline-block" data-hovercard-type="user" data-hovercard-url="/users/{owner}/hovercard" href="/{owner}">'
        f'<img class="avatar mb-1 avatar-user" src="https://avatars.githubusercontent.com/u/{uid}?s=40&amp;v=4" width="20" height="20" alt="@{owner}"/></a>',
        "        </span>",
        '        <span class="d-inline-block float-sm-right">',
        "          " + _STAR_SVG,
        f"          {today:,} stars today",
        "        </span>",
        "      </div>",
        "    </article>",
    ]
    return "\n".join(lines)


def trending_html() -> str:
    rows = "\n".join(_trending_row(*row[:6]) for row in TRENDING)
    return f"""<!DOCTYPE html>
<html lang="en" data-color-mode="auto" data-light-theme="light" data-dark-theme="dark">
<head>
  <meta charset="utf-8">
  <title>Trending  repositories on GitHub today · GitHub</title>
  <meta name="description" content="GitHub is where people build software.">
  <link rel="canonical" href="https://github.com/trending?since=daily" data-turbo-transient>
  <!-- Offline snapshot written for jianbao (fictional repositories), captured 2026-11-20T08:00:00Z -->
</head>
<body class="logged-out env-production page-responsive">
<div class="application-main" data-commit-hovercards-enabled data-discussion-hovercards-enabled data-issue-and-pr-hovercards-enabled>
<main>
  <div class="position-relative container-lg p-responsive pt-6">
    <div class="Box">
      <div class="Box-header d-md-flex flex-items-center flex-justify-between">
        <nav class="subnav mb-0" aria-label="Trending">
          <a class="js-selected-navigation-item selected subnav-item" aria-current="page" href="/trending">Repositories</a>
          <a class="js-selected-navigation-item subnav-item" href="/trending/developers">Developers</a>
        </nav>
        <div class="d-sm-flex flex-auto">
          <details class="details-reset details-overlay select-menu">
            <summary class="btn-link select-menu-button" aria-haspopup="menu">Date range: <span class="text-bold">Today</span></summary>
          </details>
        </div>
      </div>
      <div data-hpc>
{rows}
      </div>
    </div>
  </div>
</main>
</div>
</body>
</html>
"""
