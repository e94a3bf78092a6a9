#pragma once
// « Chiffres des orientations » (/orientations/chiffres) and its CSV
// (/orientations/export.csv), for account managers and administrators.
#include "app/orientation_figures.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

struct FiguresPageServices {
  app::OrientationFigures& figures;
  const Views& views;
};

void addFiguresPages(Router& router, FiguresPageServices& s);

}  // namespace sas::http
